namespace GrpcLoadLab.EndToEnd.Tests.Processes;

/// <summary>How a command ended, and everything it printed.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    public IReadOnlyList<string> StandardErrorLines => NonEmptyLines(StandardError);

    public IReadOnlyList<string> StandardOutputLines => NonEmptyLines(StandardOutput);

    /// <summary>For assertion messages: a failing test shows what the command said.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StandardOutput}--- stderr\n{StandardError}";

    private static string[] NonEmptyLines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

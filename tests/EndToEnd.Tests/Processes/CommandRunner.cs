using System.Diagnostics;

namespace GrpcLoadLab.EndToEnd.Tests.Processes;

/// <summary>Runs a command to its end, capturing its output; one that outlives its time limit is killed.</summary>
public static class CommandRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <param name="environment">Variables to set, or to remove where the value is null.</param>
    public static async Task<CommandResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null)
    {
        using var process = new Process { StartInfo = CreateStartInfo(fileName, arguments, environment) };
        var output = new OutputCapture(process);
        process.Start();
        output.BeginReading();

        using var limit = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException(
                $"'{fileName} {string.Join(' ', arguments)}' did not end within {(timeout ?? DefaultTimeout).TotalSeconds}s and was killed\n"
                + $"--- stdout\n{output.StandardOutput}--- stderr\n{output.StandardError}");
        }

        return new CommandResult(process.ExitCode, output.StandardOutput, output.StandardError);
    }

    public static ProcessStartInfo CreateStartInfo(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        return startInfo;
    }
}

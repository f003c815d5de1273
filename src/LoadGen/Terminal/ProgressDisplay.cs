using Spectre.Console;

namespace GrpcLoadLab.LoadGen.Terminal;

/// <summary>Picks the progress display that suits where the output goes.</summary>
public static class ProgressDisplay
{
    /// <summary>
    /// True when standard output is a terminal that can redraw a view in place; false when it is redirected to a
    /// file or a pipe, or the terminal cannot move the cursor (CI runners, dumb terminals).
    /// </summary>
    public static bool StandardOutputIsTerminal => IsTerminal(Console.IsOutputRedirected, AnsiConsole.Profile.Capabilities);

    /// <summary>A live view redrawn in place on a terminal; otherwise plain lines that read well in a log.</summary>
    public static IProgressDisplay Create(TextWriter output, bool isTerminal) =>
        isTerminal
            ? new LiveProgressDisplay(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) }))
            : new PlainProgressDisplay(output);

    internal static bool IsTerminal(bool outputRedirected, IReadOnlyCapabilities capabilities) =>
        !outputRedirected && capabilities.Interactive && capabilities.Ansi;
}

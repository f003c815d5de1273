using System.Text.RegularExpressions;
using GrpcLoadLab.LoadGen.Terminal;
using Spectre.Console;

namespace GrpcLoadLab.LoadGen.Tests.Terminal;

public partial class ProgressDisplayTests
{
    [Fact]
    public void A_redirected_writer_gets_the_plain_display()
    {
        using var output = new StringWriter();

        var display = ProgressDisplay.Create(output, isTerminal: false);
        display.Update(PlainProgressDisplayTests.Snapshot(elapsedSeconds: 1, phase: 1));
        display.Complete();

        Assert.IsType<PlainProgressDisplay>(display);
        Assert.StartsWith("[   1s] phase 1/4: 500/s for 10s | ", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, true, true, true)]
    [InlineData(true, true, true, false)]
    [InlineData(false, false, true, false)]
    [InlineData(false, true, false, false)]
    public void Only_an_interactive_ansi_terminal_that_is_not_redirected_counts_as_a_terminal(
        bool redirected, bool interactive, bool ansi, bool expected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = ansi ? AnsiSupport.Yes : AnsiSupport.No,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(TextWriter.Null),
        });

        Assert.Equal(expected, ProgressDisplay.IsTerminal(redirected, console.Profile.Capabilities));
    }

    [Fact]
    public void The_live_display_draws_each_update_and_leaves_the_last_on_screen_when_complete()
    {
        using var output = new StringWriter();

        var display = ProgressDisplay.Create(output, isTerminal: true);
        display.Update(PlainProgressDisplayTests.Snapshot(elapsedSeconds: 12, phase: 2));
        display.Complete();

        Assert.IsType<LiveProgressDisplay>(display);
        var screen = AnsiEscape().Replace(output.ToString(), "");
        Assert.Contains("checkout-smoke  phase 2/4: 500/s for 10s", screen, StringComparison.Ordinal);
        Assert.Contains("server-5003", screen, StringComparison.Ordinal);
    }

    // Cursor moves and colours: the live view writes them when the environment says the terminal takes them.
    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex AnsiEscape();
}

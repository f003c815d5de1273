using GrpcLoadLab.LoadGen.Terminal;
using Spectre.Console;

namespace GrpcLoadLab.LoadGen.Tests.Terminal;

public class LiveProgressDisplayTests
{
    [Fact]
    public void The_view_shows_phase_progress_rate_latency_counts_and_shares()
    {
        var lines = Render(PlainProgressDisplayTests.Snapshot(elapsedSeconds: 12, phase: 2) with { Failed = 7, Dropped = 2 });

        Assert.Equal("checkout-smoke  phase 2/4: 500/s for 10s", lines[0]);
        Assert.Equal(new string('█', 12) + new string('░', 28) + "  0:12 elapsed, 0:28 left", lines[1]);
        Assert.Equal("498.0 calls/s   p50 1.2 ms p99 4.8 ms   (last second)", lines[2]);
        Assert.Equal("succeeded 5,012   failed 7   in flight 3   dropped 2", lines[3]);
        Assert.Contains(lines, line => line.Contains("server-5001", StringComparison.Ordinal)
            && line.Contains("1,654", StringComparison.Ordinal)
            && line.Contains("33.1%", StringComparison.Ordinal)
            && line.Contains(new string('█', 7) + new string('░', 13), StringComparison.Ordinal));
    }

    [Fact]
    public void A_warm_up_is_marked()
    {
        var lines = Render(PlainProgressDisplayTests.Snapshot(elapsedSeconds: 2, phase: 1) with { Phase = "50 concurrent for 5s", Warmup = true });

        Assert.Equal("checkout-smoke  phase 1/4: 50 concurrent for 5s (WARM-UP)", lines[0]);
    }

    [Fact]
    public void Long_names_and_numbers_keep_to_one_line_a_row_on_an_80_column_terminal()
    {
        var snapshot = PlainProgressDisplayTests.Snapshot(elapsedSeconds: 12, phase: 2);
        var shortLines = Render(snapshot with { Servers = [new ServerShare("a", 1, 1)] });

        var longLines = Render(snapshot with
        {
            Scenario = "a-scenario-with-a-rather-long-name",
            Phase = "Poisson 12345.67/s for 3600s",
            Elapsed = TimeSpan.FromHours(1.5),
            Remaining = TimeSpan.FromHours(10),
            Succeeded = 99_999_999,
            Failed = 9_999_999,
            InFlight = 99_999,
            Dropped = 9_999_999,
            Servers = [new ServerShare("an-instance-id-that-goes-on-and-on-and-on-for-ever", 99_999_999, 1)],
        });

        Assert.Equal(shortLines.Length, longLines.Length);
        Assert.All(longLines, line => Assert.True(line.Length <= 80, $"{line.Length} columns: {line}"));
    }

    private static string[] Render(LiveSnapshot snapshot)
    {
        using var output = new StringWriter { NewLine = "\n" };
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 80;

        console.Write(LiveProgressDisplay.Render(snapshot));

        return [.. output.ToString().Split('\n').Select(line => line.TrimEnd())];
    }
}

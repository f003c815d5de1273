using GrpcLoadLab.LoadGen.Terminal;

namespace GrpcLoadLab.LoadGen.Tests.Terminal;

public class PlainProgressDisplayTests
{
    [Fact]
    public void A_line_shows_time_phase_rate_latency_counts_and_server_shares()
    {
        var line = PlainProgressDisplay.Line(Snapshot(elapsedSeconds: 12, phase: 2));

        Assert.Equal(
            "[  12s] phase 2/4: 500/s for 10s | 498.0 calls/s | p50 1.2 ms p99 4.8 ms"
            + " | ok 5012 failed 0 in flight 3 dropped 0 | servers: server-5001 33% server-5002 33% server-5003 34%",
            line);
    }

    [Fact]
    public void A_warm_up_phase_is_marked_and_a_quiet_second_has_no_latency()
    {
        var line = PlainProgressDisplay.Line(Snapshot(elapsedSeconds: 3, phase: 1) with
        {
            Phase = "50 concurrent for 5s",
            Warmup = true,
            CallsPerSecond = 0,
            Servers = [],
        });

        Assert.Equal("[   3s] phase 1/4: 50 concurrent for 5s (WARM-UP) | 0.0 calls/s | p50 - p99 - | ok 5012 failed 0 in flight 3 dropped 0", line);
    }

    [Fact]
    public void Servers_are_listed_by_instance_whatever_order_they_come_in()
    {
        var snapshot = Snapshot(elapsedSeconds: 1, phase: 1);
        var line = PlainProgressDisplay.Line(snapshot with { Servers = [.. snapshot.Servers.Reverse()] });

        Assert.EndsWith("servers: server-5001 33% server-5002 33% server-5003 34%", line, StringComparison.Ordinal);
    }

    [Fact]
    public void One_phase_gives_a_line_at_the_start_and_then_one_every_5_seconds()
    {
        var lines = Run(Enumerable.Range(1, 16).Select(second => Snapshot(second, phase: 1)));

        Assert.Equal(["[   1s]", "[   5s]", "[  10s]", "[  15s]"], lines.Select(Time));
    }

    [Fact]
    public void Phase_changes_add_a_line_and_an_early_or_late_ticker_neither_doubles_nor_skips_one()
    {
        // The ticker runs 3 ms early on odd seconds and 2 ms late on even ones; phase 2 starts at 8 s, phase 3 at 19 s.
        var snapshots = Enumerable.Range(1, 30).Select(second =>
        {
            var phase = second < 8 ? 1 : second < 19 ? 2 : 3;
            var elapsed = TimeSpan.FromSeconds(second) + TimeSpan.FromMilliseconds(second % 2 == 1 ? -3 : 2);
            return Snapshot(second, phase) with { Elapsed = elapsed };
        }).ToList();

        var lines = Run(snapshots);

        // Windows of 5 s: [0,5) gets 1 s (4.997 s is still in it), [5,10) 6 s, [10,15) 10 s, [15,20) 16 s, ...;
        // 8 s and 19 s are the phase changes.
        Assert.Equal(["[   1s]", "[   6s]", "[   8s]", "[  10s]", "[  16s]", "[  19s]", "[  20s]", "[  26s]", "[  30s]"], lines.Select(Time));
        Assert.Equal(
            ["phase 1/4", "phase 1/4", "phase 2/4", "phase 2/4", "phase 2/4", "phase 3/4", "phase 3/4", "phase 3/4", "phase 3/4"],
            lines.Select(line => line[8..17]));
        Assert.True(lines.Count <= (30 / 5) + 1 + 2);
    }

    [Fact]
    public void Complete_writes_nothing_more()
    {
        using var output = new StringWriter();
        var display = new PlainProgressDisplay(output);
        display.Update(Snapshot(elapsedSeconds: 1, phase: 1));
        var written = output.ToString();

        display.Complete();

        Assert.Equal(written, output.ToString());
    }

    internal static LiveSnapshot Snapshot(double elapsedSeconds, int phase) =>
        new(
            "checkout-smoke",
            "500/s for 10s",
            phase,
            4,
            Warmup: false,
            TimeSpan.FromSeconds(elapsedSeconds),
            TimeSpan.FromSeconds(40 - elapsedSeconds),
            CallsPerSecond: 498,
            P50Millis: 1.2,
            P99Millis: 4.8,
            Succeeded: 5_012,
            Failed: 0,
            InFlight: 3,
            Dropped: 0,
            [new ServerShare("server-5001", 1_654, 0.331), new ServerShare("server-5002", 1_654, 0.331), new ServerShare("server-5003", 1_689, 0.338)]);

    private static List<string> Run(IEnumerable<LiveSnapshot> snapshots)
    {
        using var output = new StringWriter();
        var display = new PlainProgressDisplay(output);
        foreach (var snapshot in snapshots)
        {
            display.Update(snapshot);
        }

        display.Complete();
        return [.. output.ToString().Split(output.NewLine, StringSplitOptions.RemoveEmptyEntries)];
    }

    private static string Time(string line) => line[..7];
}

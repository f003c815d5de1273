using System.Text.Json.Nodes;
using GrpcLoadLab.LoadGen.Reports.Charts;
using GrpcLoadLab.LoadGen.Results;
using Plotly.NET;

namespace GrpcLoadLab.LoadGen.Tests.Reports;

public class PartialSecondTests
{
    [Fact]
    public void A_partial_last_second_is_a_rate_over_its_real_length()
    {
        var timeline = Steady(380, 1.0, 2.0, 3.0, 3.6);

        var timed = TimedSecond.Of(timeline);

        Assert.Equal([1.0, 1.0, 1.0, 0.6], timed.Select(s => Math.Round(s.LengthSeconds, 6)));
        Assert.Equal(380, timed[^1].Rate(timed[^1].Second.Succeeded), 6);
    }

    [Fact]
    public void A_sliver_too_short_for_a_rate_is_left_out_wherever_it_falls()
    {
        // A first second that the ticker closed early, a late tick, and a run stopped by Ctrl-C just after a tick.
        var timeline = Steady(100, 0.2, 1.5, 2.1, 3.1, 3.15);

        var timed = TimedSecond.Of(timeline);

        Assert.Equal([1.5, 2.1, 3.1], timed.Select(s => s.EndSeconds));
        Assert.Equal([1.3, 0.6, 1.0], timed.Select(s => Math.Round(s.LengthSeconds, 6)));
        Assert.All(timed, s => Assert.Equal(100, s.Rate(s.Second.Succeeded), 6));
    }

    [Fact]
    public void A_late_tick_is_read_as_the_time_it_covered_not_a_spike()
    {
        var timed = TimedSecond.Of(Steady(200, 1.0, 2.4, 3.0, 4.0));

        Assert.All(timed, s => Assert.Equal(200, s.Rate(s.Second.Succeeded), 6));
    }

    [Fact]
    public void Results_written_before_ends_were_recorded_leave_out_only_their_last_second()
    {
        var old = TestRuns.Read("unary-closed").Timeline;
        Assert.All(old, s => Assert.Null(s.EndSeconds));

        var timed = TimedSecond.Of(old);

        Assert.Equal(old.Take(old.Count - 1).Select(s => (double)s.Second), timed.Select(s => s.EndSeconds));
        Assert.All(timed, s => Assert.Equal(1, s.LengthSeconds));
    }

    [Fact]
    public void A_pause_is_a_real_zero_and_stays_drawn()
    {
        var timeline = Steady(300, 1.0, 2.0, 3.0, 4.0, 4.7).ToList();
        timeline[2] = timeline[2] with { Succeeded = 0 };

        var timed = TimedSecond.Of(timeline);

        Assert.Equal([300, 300, 0, 300, 300], timed.Select(s => Math.Round(s.Rate(s.Second.Succeeded), 6)));
    }

    [Theory]
    [InlineData("unary-closed")]
    [InlineData("unary-open")]
    public void The_throughput_charts_last_point_is_no_collapse_in_the_report_and_in_compare(string name)
    {
        // The run as written today: each second's real end, the last one 0.6 s long with 0.6 s worth of calls.
        var run = TestRuns.Read(name);
        var steady = run.Timeline[^2].Succeeded;
        var timeline = run.Timeline.Select(s => s with { EndSeconds = s.Second }).ToList();
        timeline[^1] = timeline[^1] with { EndSeconds = timeline.Count - 0.4, Succeeded = (long)(steady * 0.6) };
        run = run with { Timeline = timeline };

        foreach (var series in new[] { RunSeries.Single(run), [new RunSeries("#1 a", run) { Colour = "#4e79a7" }, new RunSeries("#2 b", run) { Colour = "#f28e2b" }] })
        {
            var figure = JsonNode.Parse(GenericChart.toJson(TimeCharts.Throughput(series)))!;
            var succeeded = figure["data"]!.AsArray().Where(t => ((string?)t!["name"] ?? "").EndsWith("succeeded/s", StringComparison.Ordinal)).ToList();
            Assert.Equal(series.Count, succeeded.Count);
            foreach (var trace in succeeded)
            {
                var y = trace!["y"]!.AsArray().Select(v => (double)v!).ToList();
                var x = trace["x"]!.AsArray().Select(v => (double)v!).ToList();
                Assert.Equal(timeline.Count - 0.4, x[^1], 6);
                Assert.InRange(y[^1], steady * 0.99, steady * 1.01);
            }
        }
    }

    private static IReadOnlyList<TimelineSecond> Steady(double perSecond, params double[] ends)
    {
        var previous = 0.0;
        return [.. ends.Select((end, i) =>
        {
            var second = new TimelineSecond(
                i + 1, 0, 16, 0, (long)Math.Round(perSecond * (end - previous)), 0, 0, 16, 0, 0, 0, 0,
                new Dictionary<string, EndpointSecond>(), new GeneratorSecond(10, 0, 0, 0), end);
            previous = end;
            return second;
        })];
    }
}

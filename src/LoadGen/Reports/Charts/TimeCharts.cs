using GrpcLoadLab.LoadGen.Results;
using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace GrpcLoadLab.LoadGen.Reports.Charts;

/// <summary>
/// Charts over the run's seconds (x = seconds from the run's start, each second drawn where it really ended), for one
/// run or several overlaid. What a second counted is drawn as a rate over its real length, so the last second of a
/// run (cut short by its end or by Ctrl-C) is no fake collapse; a second too short for a rate is left out
/// (<see cref="TimedSecond"/>).
/// <list type="bullet">
/// <item><b>throughput</b>: calls that succeeded and that failed in each second, and on the right axis the load the
/// phase asked for (concurrency or calls/s), so that a flat line under a rising load shows saturation. A single
/// run's phases are shaded bands (warm-up grey, excluded from the figures), and its faults are marked on every time
/// chart: a dashed line where a kill, terminate or restart took effect, a band while a slow or fail fault was in force.</item>
/// <item><b>latency over time</b>: p50, p90, p99 and max of the calls that ended in each second, in ms; a p99 that
/// climbs while the load is steady shows a queue building. Seconds in which no call ended have no point.</item>
/// <item><b>per server over time</b>: each server's successful calls in each second (the balancer's count per
/// address, retries included), so that a killed instance dropping to zero, a restarted one coming back and a slow one
/// getting fewer calls show where they happen.</item>
/// <item><b>generator health</b>: the load generator's own CPU % (of all cores), the whole machine's CPU % (every
/// process: servers sharing the machine show here), GC pause (ms a second), schedule lag p99
/// (open model, ms) and, on the right axis, its thread-pool queue, each second: when these spike, the run measured
/// the generator rather than the servers.</item>
/// </list>
/// </summary>
internal static class TimeCharts
{
    public static GenericChart Throughput(IReadOnlyList<RunSeries> runs)
    {
        var perSecond = runs.SelectMany(run => new[]
        {
            Line(run, "succeeded/s", s => s.Rate(s.Second.Succeeded), StyleParam.DrawingStyle.Solid),
            Line(run, "failed/s", s => s.Rate(s.Second.Failed), StyleParam.DrawingStyle.Dot),
        }).ToList();
        var load = CSharpChart.Combine(runs.Select(run => Line(run, "target load", s => s.Second.TargetLoad, StyleParam.DrawingStyle.Dash, dash: true)));
        var height = Max(runs, s => s.Rate(Math.Max(s.Second.Succeeded, s.Second.Failed)));
        return ChartStyle.TwoAxes(Shaded(runs, height).Concat(perSecond), "calls/s", [load], "target load (concurrency or calls/s)", "seconds from start");
    }

    public static GenericChart LatencyOverTime(IReadOnlyList<RunSeries> runs)
    {
        var lines = runs.SelectMany(run => new[]
        {
            Line(run, "p50", s => Millis(s.Second, s.Second.P50), StyleParam.DrawingStyle.Dot),
            Line(run, "p90", s => Millis(s.Second, s.Second.P90), StyleParam.DrawingStyle.DashDot),
            Line(run, "p99", s => Millis(s.Second, s.Second.P99), StyleParam.DrawingStyle.Solid),
            Line(run, "max", s => Millis(s.Second, s.Second.Max), StyleParam.DrawingStyle.Dash),
        });
        var height = Max(runs, s => s.Second.Max / 1000.0);
        return ChartStyle.Axes(CSharpChart.Combine(Shaded(runs, height).Concat(lines)), "seconds from start", "ms");
    }

    public static GenericChart GeneratorHealth(IReadOnlyList<RunSeries> runs)
    {
        var left = runs.SelectMany(run => new[]
        {
            Line(run, "CPU %", s => s.Second.Generator.CpuPercent, StyleParam.DrawingStyle.Solid),
            Line(run, "host CPU % (every process)", s => s.Second.Generator.HostCpuPercent ?? double.NaN, StyleParam.DrawingStyle.LongDash),
            Line(run, "GC pause ms/s", s => s.Rate(s.Second.Generator.GcPauseMillis), StyleParam.DrawingStyle.Dot),
            Line(run, "schedule lag p99 ms", s => s.Second.Generator.ScheduleLagP99Micros / 1000.0, StyleParam.DrawingStyle.DashDot),
        });
        var right = CSharpChart.Combine(runs.Select(run => Line(run, "thread-pool queue", s => s.Second.Generator.ThreadPoolQueue, StyleParam.DrawingStyle.Dash, dash: true)));
        var height = Max(runs, s => Math.Max(Math.Max(s.Second.Generator.CpuPercent, s.Second.Generator.HostCpuPercent ?? 0), Math.Max(s.Rate(s.Second.Generator.GcPauseMillis), s.Second.Generator.ScheduleLagP99Micros / 1000.0)));
        return ChartStyle.TwoAxes(Shaded(runs, height).Concat(left), "CPU % / ms", [right], "thread-pool queue (work items)", "seconds from start");
    }

    /// <summary>One line per server address: the attempts it served successfully in each second, by the balancer's count.</summary>
    public static GenericChart ServerSuccesses(RunSeries run)
    {
        var ids = run.Result.Endpoints.Where(e => e.Address is not null && e.InstanceId is not null)
            .ToDictionary(e => e.Address!, e => e.InstanceId!, StringComparer.Ordinal);
        var lines = run.Result.Timeline.SelectMany(s => s.Endpoints.Keys).Distinct().Order(StringComparer.Ordinal).Select(address => Line(
            run,
            ids.TryGetValue(address, out var id) ? $"{id} ({address})" : address,
            s => s.Second.Endpoints.TryGetValue(address, out var e) ? s.Rate(e.Succeeded) : 0,
            StyleParam.DrawingStyle.Solid));
        var height = Max([run], s => s.Rate(s.Second.Endpoints.Values.Select(e => (double)e.Succeeded).DefaultIfEmpty(0).Max()));
        return ChartStyle.Axes(CSharpChart.Combine(Shaded([run], height).Concat(lines)), "seconds from start", "succeeded calls/s");
    }

    /// <summary>A second in which no call ended has no latency (NaN, left out), not a zero.</summary>
    private static double Millis(TimelineSecond second, long micros) =>
        second.Succeeded + second.Failed == 0 ? double.NaN : micros / 1000.0;

    /// <summary>A line through the run's timed seconds, each drawn where it really ended.</summary>
    private static GenericChart Line(RunSeries run, string what, Func<TimedSecond, double> value, StyleParam.DrawingStyle inOverlay, bool dash = false)
    {
        var points = run.Seconds.Select(s => (X: s.EndSeconds, Value: value(s))).Where(p => double.IsFinite(p.Value)).ToList();
        return CSharpChart.Line<double, double, string>(
            x: points.Select(p => p.X),
            y: points.Select(p => p.Value),
            Name: run.Name(what),
            LineColor: run.LineColour,
            LineDash: run.Dash(inOverlay, dash));
    }

    private static double Max(IReadOnlyList<RunSeries> runs, Func<TimedSecond, double> value) =>
        runs.SelectMany(run => run.Seconds).Select(value).Where(double.IsFinite).DefaultIfEmpty(1).Max();

    /// <summary>
    /// Phases are shaded, and faults marked, in one run's report (its one, unlabelled series); in an overlay they would
    /// belong to no run.
    /// </summary>
    private static IEnumerable<GenericChart> Shaded(IReadOnlyList<RunSeries> runs, double height) =>
        runs is [{ Label.Length: 0 } run] ? ChartStyle.PhaseBands(run.Result, height).Concat(ChartStyle.FaultMarks(run.Result, height)) : [];
}

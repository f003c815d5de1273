using GrpcLoadLab.LoadGen.Results;
using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace GrpcLoadLab.LoadGen.Reports.Charts;

/// <summary>
/// Each server's own timeline (<see cref="RunResult.ServerTimelines"/>) beside the client's, over the run's seconds:
/// x = seconds from the run's start, each server second drawn where it ended (what it read at its end, or counted
/// within it), as the client's are. One line per instance, named by its id.
/// <list type="bullet">
/// <item><b>in flight</b>: the calls each server held (admitted, working or queued for a slot) against the calls the
/// generator had in flight; the generator's count is the servers' together plus what is on the way (network, client).</item>
/// <item><b>latency</b>: each server's p50 and p99 of the calls that ended in each second, from admission to the end,
/// beside the client's (from the call's scheduled start); the gap is the network, the client and, in the open model,
/// a late start.</item>
/// <item><b>queueing</b>: calls waiting for a capacity slot (<c>--capacity</c>/<c>--queue</c>) and HTTP/2 streams that
/// Kestrel had received and queued for a thread, at each second's end.</item>
/// <item><b>CPU</b>: the share of its cores each server kept busy in each second (100 % = every core it could use).</item>
/// </list>
/// </summary>
internal static class ServerTimelineCharts
{
    public static GenericChart InFlight(RunResult result)
    {
        var client = ClientLine(result, "generator: in flight", s => s.Second.InFlight, StyleParam.DrawingStyle.Dash);
        return Chart(result, [client, .. Each(result, "in flight", s => s.InFlight, StyleParam.DrawingStyle.Solid)], "calls in flight");
    }

    public static GenericChart Latency(RunResult result)
    {
        var client = new[]
        {
            ClientLine(result, "generator: p50", s => Millis(s.Second.Succeeded + s.Second.Failed, s.Second.P50), StyleParam.DrawingStyle.Dot),
            ClientLine(result, "generator: p99", s => Millis(s.Second.Succeeded + s.Second.Failed, s.Second.P99), StyleParam.DrawingStyle.Dash),
        };
        var servers = Each(result, "p50", s => Millis(s.CallDuration?.Count ?? 0, s.CallDuration?.P50 ?? 0), StyleParam.DrawingStyle.DashDot)
            .Concat(Each(result, "p99", s => Millis(s.CallDuration?.Count ?? 0, s.CallDuration?.P99 ?? 0), StyleParam.DrawingStyle.Solid));
        return Chart(result, [.. client, .. servers], "ms");
    }

    public static GenericChart Queueing(RunResult result) =>
        Chart(
            result,
            [.. Each(result, "queued for a capacity slot", s => s.Queued, StyleParam.DrawingStyle.Solid), .. Each(result, "Kestrel: streams queued for a thread", s => s.QueuedRequests, StyleParam.DrawingStyle.Dash)],
            "calls / streams waiting");

    public static GenericChart Cpu(RunResult result) =>
        Chart(result, [.. Each(result, "CPU % of its cores", s => Math.Round(100 * s.CpuCores / Math.Max(1, s.ProcessorCount), 2), StyleParam.DrawingStyle.Solid)], "CPU % of the instance's cores");

    /// <summary>A second in which no call ended has no latency (NaN, left out), not a zero.</summary>
    private static double Millis(long calls, long micros) => calls == 0 ? double.NaN : micros / 1000.0;

    private static GenericChart Chart(RunResult result, IReadOnlyList<(GenericChart Line, double Height)> lines, string yTitle)
    {
        var height = lines.Select(l => l.Height).Where(double.IsFinite).DefaultIfEmpty(1).Max();
        return ChartStyle.Axes(CSharpChart.Combine(ChartStyle.PhaseBands(result, height).Concat(lines.Select(l => l.Line))), "seconds from start", yTitle);
    }

    /// <summary>One line per followed instance through its seconds, each drawn where it ended.</summary>
    private static IEnumerable<(GenericChart, double)> Each(RunResult result, string what, Func<ServerTimelineSecond, double> value, StyleParam.DrawingStyle dash) =>
        (result.ServerTimelines ?? []).Where(t => t.Seconds.Count > 0).Select(t =>
        {
            var points = t.Seconds.Select(s => (X: Math.Round(s.EndSeconds, 3), Value: value(s))).Where(p => double.IsFinite(p.Value)).ToList();
            return Line($"{t.InstanceId ?? t.Address}: {what}", points, dash);
        });

    private static (GenericChart, double) ClientLine(RunResult result, string what, Func<TimedSecond, double> value, StyleParam.DrawingStyle dash) =>
        Line(what, [.. TimedSecond.Of(result.Timeline).Select(s => (X: s.EndSeconds, Value: value(s))).Where(p => double.IsFinite(p.Value))], dash);

    private static (GenericChart, double) Line(string name, IReadOnlyList<(double X, double Value)> points, StyleParam.DrawingStyle dash) =>
        (CSharpChart.Line<double, double, string>(
            x: points.Select(p => p.X),
            y: points.Select(p => p.Value),
            Name: Html.Html.Encode(name),
            LineDash: dash),
        points.Select(p => p.Value).DefaultIfEmpty(double.NaN).Max());
}

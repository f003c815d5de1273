using System.Text;
using GrpcLoadLab.LoadGen.Reports.Charts;
using GrpcLoadLab.LoadGen.Results;
using static GrpcLoadLab.LoadGen.Reports.Html.Html;

namespace GrpcLoadLab.LoadGen.Reports;

/// <summary>
/// The run page's <c>server-timelines</c> section: which instances were followed, each one's figures over the measured
/// phases with Little's law checked per instance (<see cref="ServerLoadFigures"/>), and the charts of
/// <see cref="ServerTimelineCharts"/>. A result without the series (written before the servers were followed, or
/// with <c>--no-follow</c>) says so instead.
/// </summary>
internal static class ServerTimelineSection
{
    public const string Id = "server-timelines";

    public const string Heading = "Each server's own timeline";

    public static string Render(RunResult result)
    {
        if (result.ServerTimelines is not { } timelines)
        {
            return "<p id=\"server-timelines-absent\">The servers were not followed in this run (a result written before loadgen followed them, or a run with <code>--no-follow</code>): only their counters at the start and the end are known, above.</p>\n";
        }

        var html = new StringBuilder("<p>Each instance's own seconds, sent by the instance itself (<code>WatchStats</code>) while the run went on: what it held in flight and queued at each second's end, the calls that ended on it and their server-side duration (from admission, capacity queueing included), its CPU. Figures are over the measured phases.</p>\n");
        html.Append("<table id=\"server-follow-table\">\n").Append(HeaderRow("instance", "address", "followed", "seconds", "gaps", "stream reopened"));
        foreach (var t in timelines)
        {
            html.Append(Row(
                t.InstanceId ?? "?",
                t.Address,
                t.NotFollowed is { } why ? $"no: {why}" : "yes",
                NumberText.Count(t.Seconds.Count) + (t.SecondsNotKept > 0 ? $" (+{NumberText.Count(t.SecondsNotKept)} not kept)" : ""),
                t.Gaps.Count == 0 ? "none" : string.Join(", ", t.Gaps.Select(g => $"#{g.FromIndex}-{g.ToIndex} ({NumberText.Number(g.FromSeconds)}-{NumberText.Number(g.ToSeconds)} s)")),
                NumberText.Count(t.Reopened)));
        }

        html.Append("</table>\n");
        var figures = ServerLoadFigures.Of(result);
        if (figures.Count == 0)
        {
            return html.Append("<p id=\"server-timelines-empty\">No instance sent a second of the measured phases.</p>\n").ToString();
        }

        html.Append("<h3>Little's law per instance, and where calls waited</h3>\n")
            .Append("<p>L, the calls in flight the instance measured (the mean of its seconds' ends), against X × W, its throughput times its mean server-side duration: they agree when the instance was a steady system. Queued: calls waiting for a capacity slot; Kestrel queued: HTTP/2 streams received and waiting for a thread to start them.</p>\n")
            .Append("<table id=\"server-little-table\">\n")
            .Append(HeaderRow("instance", "seconds", "L in flight", "X calls/s", "W mean ms", "X × W", "L vs X × W", "queued mean", "queued peak", "Kestrel queued mean", "Kestrel queued peak", "rejected", "CPU % mean", "CPU % peak", "GC pause ms/s", "thread-pool queue peak"));
        foreach (var f in figures)
        {
            html.Append(Row(
                f.InstanceId,
                NumberText.Count(f.Seconds),
                NumberText.Number(f.MeanInFlight),
                NumberText.Number(f.Throughput),
                f.MeanDurationMs is { } w ? NumberText.Number(w) : "-",
                f.LittleInFlight is { } l ? NumberText.Number(l) : "-",
                f.LittleDeviation is { } d ? (d >= 0 ? "+" : "") + NumberText.Percent(d, 1) : "-",
                NumberText.Number(f.MeanQueued),
                NumberText.Count(f.PeakQueued),
                NumberText.Number(f.MeanQueuedRequests),
                NumberText.Count(f.PeakQueuedRequests),
                NumberText.Count(f.Rejected),
                NumberText.Number(100 * f.CpuShare),
                NumberText.Number(100 * f.PeakCpuShare),
                NumberText.Number(f.GcPauseMsPerSecond),
                NumberText.Count(f.PeakThreadPoolQueue)));
        }

        html.Append("</table>\n");
        html.Append("<h3>In flight: the servers against the generator</h3>\n").Append(ChartBlock.Render("chart-server-in-flight", ServerTimelineCharts.InFlight(result)));
        html.Append("<h3>Latency: server-side beside the client's</h3>\n").Append(ChartBlock.Render("chart-server-latency", ServerTimelineCharts.Latency(result)));
        html.Append("<h3>Queueing</h3>\n").Append(ChartBlock.Render("chart-server-queueing", ServerTimelineCharts.Queueing(result)));
        html.Append("<h3>CPU</h3>\n").Append(ChartBlock.Render("chart-server-cpu", ServerTimelineCharts.Cpu(result)));
        return html.ToString();
    }
}

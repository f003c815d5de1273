using System.Globalization;
using System.Text;
using System.Text.Json;
using GrpcLoadLab.LoadGen.Reports.Charts;
using GrpcLoadLab.LoadGen.Reports.Figures;
using GrpcLoadLab.LoadGen.Reports.Html;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;
using static GrpcLoadLab.LoadGen.Reports.Html.Html;

namespace GrpcLoadLab.LoadGen.Reports;

/// <summary>
/// <c>report.html</c>: one run, one self-contained page. Sections, top to bottom (each a <c>&lt;section id&gt;</c>):
/// <c>summary</c> (verdict, PARTIAL banner, key figures, set-up, thresholds), <c>agents</c> (a merged run's agents, or
/// an agent's share and clock; <see cref="AgentsSection"/>), <c>faults</c> (the scenario's faults
/// and their outcome; runs with faults only), <c>throughput</c>, <c>latency-over-time</c>, <c>spectrum</c>
/// (percentile spectrum), <c>histogram</c>, <c>open-model</c> (latency from the schedule beside service time; open
/// model only), <c>sub-steps</c> (a C# scenario's named sub-steps; runs with them only), <c>servers</c> (share, latency, errors, retries, successful calls over time and the servers' own
/// counters), <c>server-timelines</c> (each server's own timeline, <see cref="ServerTimelineSection"/>), <c>streaming</c> (streaming calls only), <c>status-codes</c>, <c>generator</c> (the generator's
/// health), <c>scenario</c>, <c>environment</c> and <c>phases</c>. What each chart shows is told in <see cref="TimeCharts"/> and
/// <see cref="DistributionCharts"/>.
/// </summary>
internal static class RunPage
{
    /// <param name="result">The run.</param>
    /// <param name="studyPage">The study of the sweep the run belongs to, relative to the run's folder; null for a run of its own.</param>
    public static string Render(RunResult result, string? studyPage = null)
    {
        var run = RunSeries.Single(result);
        var totals = result.Totals;
        var page = new HtmlPage($"{result.Name} — load report", plotlyFolder: "..");
        page.Append($"<h1 id=\"title\">{Encode(result.Name)}</h1>\n{Links(studyPage)}<p class=\"muted\">{Encode(result.Scenario.Description)}</p>\n");
        page.Section("summary", "Summary", Summary(result));
        if (AgentsSection.Render(result) is { } agents)
        {
            page.Section("agents", "Agents", agents);
        }
        if (result.Faults.Count > 0)
        {
            page.Section("faults", "Faults", Faults(result));
        }

        page.Section("throughput", "Throughput", ChartBlock.Render("chart-throughput", TimeCharts.Throughput(run)));
        page.Section("latency-over-time", "Latency percentiles over time", ChartBlock.Render("chart-latency-over-time", TimeCharts.LatencyOverTime(run)));
        page.Section("spectrum", "Percentile spectrum", ChartBlock.Render("chart-spectrum", DistributionCharts.Spectra(run, ("latency", t => t.Latency))));
        page.Section("histogram", "Latency histogram", ChartBlock.Render("chart-histogram", DistributionCharts.Histogram(run[0], totals.Latency)));
        if (totals.ScheduleLag is { } lag)
        {
            page.Section(
                "open-model",
                "Latency from the schedule and service time",
                $"<p>Latency counts from each call's scheduled start; service time from its actual send. Schedule lag p99: {NumberText.Millis(lag, h => h.P99)} ms; {NumberText.Count(totals.Calls.Late)} calls started late, {NumberText.Count(totals.Calls.Dropped)} dropped.{Dispatcher(totals.Dispatcher)}</p>\n"
                + ChartBlock.Render("chart-open-model", DistributionCharts.Spectra(run, ("latency (from schedule)", t => t.Latency), ("service time", t => t.ServiceTime))));
        }

        if (result.SubSteps.Count > 0)
        {
            page.Section("sub-steps", "Sub-steps", SubSteps(result.SubSteps));
        }

        page.Section("servers", "Per server", Servers(result));
        page.Section(ServerTimelineSection.Id, ServerTimelineSection.Heading, ServerTimelineSection.Render(result));
        if (totals.FirstMessage is not null || totals.MessageLatency is not null || totals.InterArrival is not null)
        {
            page.Section("streaming", "Streaming", Streaming(result, run));
        }

        page.Section("status-codes", "Status codes", StatusCodes(totals, result.CheckMismatch));
        page.Section("generator", "Load generator health", ChartBlock.Render("chart-generator", TimeCharts.GeneratorHealth(run)));
        page.Section("scenario", "Scenario", $"<pre id=\"scenario-json\">{Encode(ScenarioView.Of(result.Scenario).ToJsonString(Pretty))}</pre>\n");
        page.Section("environment", "Environment", Environment(result));
        page.Section("phases", "Phases", Phases(result));
        return page.ToString();
    }

    private static readonly JsonSerializerOptions Pretty = new(ResultJson.Options) { WriteIndented = true };

    /// <summary>Where to go from the report: every run, the run's study, and the run's other files beside the page.</summary>
    private static string Links(string? studyPage)
    {
        var links = new List<(string Href, string Text)> { ($"../{IndexPage.FileName}", "all runs (index)") };
        if (studyPage is not null)
        {
            links.Add((studyPage, "its study"));
        }

        links.AddRange([(ResultJson.FileName, ResultJson.FileName), (RunReportWriter.SummaryFile, RunReportWriter.SummaryFile), (RunReportWriter.StatsFile, RunReportWriter.StatsFile)]);
        return $"<nav id=\"links\">{string.Concat(links.Select(l => $"<a href=\"{Encode(l.Href)}\">{Encode(l.Text)}</a>"))}</nav>\n";
    }

    /// <summary>The sentence on the dispatcher that follows the schedule lag; none in results written before it was recorded.</summary>
    private static string Dispatcher(DispatcherFigures? dispatcher) =>
        dispatcher is null ? "" : $" <span id=\"dispatcher\">The dispatcher that starts the calls was {Encode(DispatcherWords.Of(dispatcher))}.</span>";

    private static string Summary(RunResult result)
    {
        var html = new StringBuilder();
        if (result.Partial)
        {
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"banner partial\" id=\"partial\">{Encode(VerdictWords.PartialRun(result.PartialReason))}</div>\n");
        }

        var verdict = result.Verdict;
        var thresholds = VerdictWords.Thresholds(verdict.Thresholds) is { } held ? "thresholds: " + held : "no thresholds";
        var validity = "run " + VerdictWords.Validity(verdict.Valid) + (verdict.Valid ? "" : ": " + string.Join("; ", verdict.InvalidReasons));
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"banner {(verdict.Passed ? "good" : "bad")}\" id=\"verdict\">{VerdictWords.Outcome(verdict.Passed)} — {Encode(thresholds)} — {Encode(validity)}</div>\n");
        if (verdict.Warnings.Count > 0)
        {
            html.Append("<div class=\"banner warning\" id=\"warnings\">")
                .AppendJoin("", verdict.Warnings.Select(w => $"<div class=\"warning\">{VerdictWords.Warning}: {Encode(w)}</div>"))
                .Append("</div>\n");
        }


        html.Append("<div class=\"figures\">\n");
        foreach (var figure in KeyFigures.For([result]))
        {
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"figure\" id=\"figure-{figure.Id}\"><div class=\"value\">{Encode(figure.Format(figure.Value(result)))}{(figure.Unit == "ms" ? " ms" : "")}</div><div class=\"label\">{Encode(figure.Label)}</div></div>\n");
        }

        html.Append("</div>\n");
        var calls = result.Totals.Calls;
        html.Append("<table class=\"left\" id=\"summary-table\">\n")
            .Append(Row("calls", $"{NumberText.Count(calls.Started)} started = {NumberText.Count(calls.Succeeded)} succeeded + {NumberText.Count(calls.Failed)} failed + {NumberText.Count(calls.Cancelled)} cancelled{(calls.AddsUp ? "" : " (DOES NOT ADD UP)")}"))
            .Append(Row("errors", $"{NumberText.Percent(result.Totals.ErrorRate, 2)} ({NumberText.Count(calls.Failed)} failed)"))
            .Append(Row("call", ScenarioView.CallLabel(result.Scenario.Call)))
            .Append(Row("policy", Spellings.Policy.Name(result.Scenario.Target.Policy)))
            .Append(Row("servers", $"{result.Environment.ServerCount}: {string.Join(", ", result.Environment.ServerAddresses)}"))
            .Append(Row("fleet", ServerFigures.FleetSettings([.. result.Servers.Select(ServerFigures.Of)], result.Environment.ProcessorCount) ?? "unknown: no server answered its stats call"))
            .Append(Row("target", result.Scenario.Target.Address.Text))
            .Append(Row("started", result.StartedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)))
            .Append(Row("ran", NumberText.Duration(result.EndedAt - result.StartedAt)))
            .Append("</table>\n");
        if (verdict.Thresholds.Count > 0)
        {
            html.Append("<table id=\"thresholds\">\n").Append(HeaderRow("threshold", "actual", "result"));
            foreach (var t in verdict.Thresholds)
            {
                html.Append(Row(t.Threshold, $"{NumberText.Measured(t.Actual, t.Unit)} {t.Unit}".Trim(), VerdictWords.Check(t.Passed)));
            }

            html.Append("</table>\n");
        }

        return html.ToString();
    }

    private static string Faults(RunResult result)
    {
        var html = new StringBuilder("<p>The faults the scenario put in, and what became of each. Times are seconds from the run's start (warm-up included), as on the time charts, where each is marked: a dashed line for a kill, terminate or restart, a band while a slow or fail fault was in force.</p>\n");
        html.Append("<table id=\"faults-table\">\n").Append(HeaderRow("#", "action", "instance", "address", "what", "at s", "until s", "done at s", "outcome"));
        foreach (var f in result.Faults)
        {
            html.Append(Row(
                f.Index.ToString(CultureInfo.InvariantCulture),
                f.Action,
                f.Instance.ToString(CultureInfo.InvariantCulture),
                f.Address ?? "?",
                f.Detail,
                NumberText.Number(f.AtSeconds),
                f.UntilSeconds is { } until ? NumberText.Number(until) : f.LastsAWhile() ? "end of run" : "-",
                f.DoneSeconds is { } done ? NumberText.Number(done) : "-",
                f.Ok ? "done" : f.Error ?? "failed"));
        }

        return html.Append("</table>\n").ToString();
    }

    private static string Servers(RunResult result)
    {
        var html = new StringBuilder("<table id=\"servers-table\">\n");
        html.Append(HeaderRow("instance", "address", "succeeded", "failed", "share", "p50 ms", "p90 ms", "p99 ms", "max ms", "picks", "retries", "failed by status", "no status"));
        foreach (var e in result.Endpoints)
        {
            html.Append(Row(
                e.InstanceId ?? "?",
                e.Address ?? "?",
                NumberText.Count(e.Succeeded),
                NumberText.Count(e.Failed),
                NumberText.Percent(e.Share, 1),
                NumberText.Millis(e.Latency, h => h.P50),
                NumberText.Millis(e.Latency, h => h.P90),
                NumberText.Millis(e.Latency, h => h.P99),
                NumberText.Millis(e.Latency, h => h.Max),
                NumberText.Count(e.Picks),
                NumberText.Count(e.RetryAttempts),
                string.Join(", ", e.FailedByStatus.Select(s => $"{s.Key} {s.Value}")),
                NumberText.Count(e.NoStatus)));
        }

        html.Append("</table>\n");
        html.Append(ChartBlock.Render("chart-server-share", DistributionCharts.Bars("instance", "share of succeeded calls (%)", [.. result.Endpoints.Select(e => (e.InstanceId ?? e.Address ?? "?", Math.Round(e.Share * 100, 2)))])));
        html.Append("<h3>Successful calls per server over time</h3>\n")
            .Append(ChartBlock.Render("chart-server-timeline", TimeCharts.ServerSuccesses(RunSeries.Single(result)[0])));
        html.Append("<h3>The servers' own counters (start to end of the run)</h3>\n<table id=\"server-stats-table\">\n");
        html.Append(HeaderRow("instance", "address", "capacity", "queue", "cores", "completed", "rejected", "CPU %", "GC pause ms", "in flight at end", "working set MB"));
        foreach (var s in result.Servers.Select(ServerFigures.Of))
        {
            html.Append(Row(
                s.InstanceId,
                s.Address,
                s.Capacity is { } capacity ? capacity == 0 ? "unlimited" : NumberText.Count(capacity) : "-",
                s.Capacity is > 0 && s.QueueLimit is { } queue ? NumberText.Count(queue) : "-",
                s.Cores is { } cores ? NumberText.Count(cores) : "-",
                s.Completed is { } c ? NumberText.Count(c) : "-",
                s.Rejected is { } r ? NumberText.Count(r) : "-",
                s.CpuPercent is { } cpu ? NumberText.Number(cpu) : "-",
                s.GcPauseMillis is { } gc ? NumberText.Millis(gc) : "-",
                s.InFlightAtEnd is { } f ? NumberText.Count(f) : "-",
                s.WorkingSetBytes is { } w ? NumberText.Number(Math.Round(w / 1048576.0, 1)) : "-"));
        }

        return html.Append("</table>\n").ToString();
    }

    private static string Streaming(RunResult result, IReadOnlyList<RunSeries> run)
    {
        var totals = result.Totals;
        var seconds = Math.Max(totals.Seconds, 1e-9);
        var html = new StringBuilder("<table id=\"streaming-table\">\n");
        html.Append(HeaderRow("figure", "count", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms"));
        foreach (var (name, histogram) in new[] { ("time to first message", totals.FirstMessage), ("per-message latency", totals.MessageLatency), ("inter-arrival", totals.InterArrival) })
        {
            if (histogram is not null)
            {
                html.Append(Row(name, NumberText.Count(histogram.Count), NumberText.Millis(histogram, h => h.P50), NumberText.Millis(histogram, h => h.P90), NumberText.Millis(histogram, h => h.P99), NumberText.Millis(histogram, h => h.P999), NumberText.Millis(histogram, h => h.Max)));
            }
        }

        html.Append("</table>\n<table class=\"left\" id=\"messages-table\">\n")
            .Append(Row("messages sent", $"{NumberText.Count(totals.MessagesSent)} ({NumberText.Rate(totals.MessagesSent / seconds)}/s)"))
            .Append(Row("messages received", $"{NumberText.Count(totals.MessagesReceived)} ({NumberText.Rate(totals.MessagesReceived / seconds)}/s)"))
            .Append("</table>\n");
        html.Append(ChartBlock.Render("chart-streaming", DistributionCharts.Spectra(run, ("time to first message", t => t.FirstMessage), ("per-message latency", t => t.MessageLatency), ("inter-arrival", t => t.InterArrival))));
        return html.ToString();
    }

    /// <summary>A C# scenario's named sub-steps: their own counts and latency, in the measured phases.</summary>
    private static string SubSteps(IReadOnlyList<SubStepResult> subSteps)
    {
        var html = new StringBuilder("<p>The named parts of each step (<code>StepContext.SubStepAsync</code>), in the measured phases; latency from each sub-step's own start, of those that ended well.</p>\n<table id=\"sub-steps-table\">\n");
        html.Append(HeaderRow("sub-step", "count", "failed", "p50 ms", "p90 ms", "p99 ms", "max ms"));
        foreach (var step in subSteps)
        {
            html.Append(Row(
                step.Name,
                NumberText.Count(step.Succeeded + step.Failed),
                NumberText.Count(step.Failed),
                NumberText.Millis(step.Latency, h => h.P50),
                NumberText.Millis(step.Latency, h => h.P90),
                NumberText.Millis(step.Latency, h => h.P99),
                NumberText.Millis(step.Latency, h => h.Max)));
        }

        return html.Append("</table>\n").ToString();
    }

    /// <param name="mismatch">A reply that failed the call's checks, shown as the example of CHECK_FAILED.</param>
    private static string StatusCodes(PhaseStats totals, string? mismatch)
    {
        var total = totals.StatusCodes.Values.Sum();
        var codes = totals.StatusCodes.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        var html = new StringBuilder("<table id=\"status-codes-table\">\n").Append(HeaderRow("status", "calls", "share"));
        foreach (var (status, count) in codes)
        {
            html.Append(Row(status, NumberText.Count(count), NumberText.Percent(total == 0 ? 0 : (double)count / total, 2)));
        }

        html.Append("</table>\n");
        if (mismatch is not null)
        {
            html.Append($"<p id=\"check-mismatch\">A reply that failed the check: <code>{Encode(mismatch)}</code></p>\n");
        }

        var failures = FailureWords.Rows(totals).ToList();
        if (failures.Count > 0)
        {
            html.Append("<table class=\"details\" id=\"failures-table\">\n").Append(HeaderRow("status", "calls", "why they failed"));
            foreach (var (status, calls, detail) in failures)
            {
                html.Append(Row(status, NumberText.Count(calls), detail));
            }

            html.Append("</table>\n");
        }

        return html.Append(ChartBlock.Render("chart-status-codes", DistributionCharts.Bars("status", "calls", [.. codes.Select(c => (c.Key, (double)c.Value))]))).ToString();
    }

    private static string Environment(RunResult result)
    {
        var e = result.Environment;
        return new StringBuilder("<table class=\"left\" id=\"environment-table\">\n")
            .Append(Row("machine", e.Machine))
            .Append(Row("operating system", e.OperatingSystem))
            .Append(Row("processors", e.ProcessorCount.ToString(CultureInfo.InvariantCulture)))
            .Append(Row("memory", $"{NumberText.Number(Math.Round(e.MemoryBytes / 1073741824.0, 1))} GiB"))
            .Append(Row(".NET", e.DotnetVersion))
            .Append(Row("loadgen", e.LoadGenVersion))
            .Append(Row("server GC", e.ServerGc ? "yes" : "no"))
            .Append(Row("servers", string.Join(", ", e.ServerAddresses)))
            .Append("</table>\n").ToString();
    }

    private static string Phases(RunResult result)
    {
        var html = new StringBuilder("<table id=\"phases-table\">\n");
        html.Append(HeaderRow("#", "phase", "type", "load", "from s", "to s", "calls", "calls/s", "p50 ms", "p99 ms", "max ms", "failed", "dropped"));
        foreach (var p in result.Phases)
        {
            var s = p.Stats;
            html.Append(Row(
                p.Index.ToString(CultureInfo.InvariantCulture),
                ScenarioView.PhaseLabel(p),
                p.Type,
                p.Load,
                NumberText.Number(p.StartSeconds),
                NumberText.Number(p.EndSeconds),
                NumberText.Count(s.Calls.Started),
                NumberText.Rate(s.CallsPerSecond),
                NumberText.Millis(s.Latency, h => h.P50),
                NumberText.Millis(s.Latency, h => h.P99),
                NumberText.Millis(s.Latency, h => h.Max),
                NumberText.Count(s.Calls.Failed),
                NumberText.Count(s.Calls.Dropped)));
        }

        return html.Append("</table>\n").ToString();
    }
}

using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using GrpcLoadLab.LoadGen.Reports.Charts;
using GrpcLoadLab.LoadGen.Reports.Html;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Study;
using static GrpcLoadLab.LoadGen.Reports.Html.Html;

namespace GrpcLoadLab.LoadGen.Reports;

/// <summary>
/// <c>study.html</c>: what a sweep showed, in one self-contained page. Sections, top to bottom: <c>verdict</c> (one card
/// per profile: the lesson at a glance, the same words the sweep printed last), <c>contents</c>, <c>lesson</c> (the
/// findings in words, made from the numbers; a PARTIAL banner when the sweep stopped early), <c>speedup</c> (every
/// profile's speedup over instances against linear), one <c>profile-I</c> section per profile and policy (scaling
/// chart and table, load curve with Little's law, hockey stick, USL fit), <c>cells</c> (every run, linked to its
/// report), <c>sweep</c> (the sweep as given) and <c>environment</c>.
/// </summary>
internal static class StudyPage
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    // Indented, without the settings the sweep left out, and with quotes and non-ASCII letters as they are: the text is
    // HTML-encoded where it lands.
    private static readonly JsonSerializerOptions Pretty = new(ResultJson.Options)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Render(StudyAnalysis analysis)
    {
        var sweep = analysis.Sweep;
        var page = new HtmlPage($"{sweep.Name} — scaling study", plotlyFolder: "..");
        page.Append($"<h1 id=\"title\">{Encode(sweep.Name)}: what concurrency and horizontal scaling bought</h1>\n<p class=\"muted\">{Encode(sweep.Sweep.Description)}</p>\n");
        var scaled = analysis.Profiles.Any(p => p.Scaling.Count >= 2);
        page.Section("verdict", "Verdict", Verdicts(analysis));
        page.Append(Contents(analysis, scaled));
        page.Section("lesson", "What the study showed", Lesson(analysis));
        if (scaled)
        {
            page.Section(
                "speedup",
                "Speedup over instances",
                "<p>Throughput of each fleet size divided by the smallest fleet's. On the grey line every instance adds a whole instance's worth; below it, the instances share something that ran out.</p>\n"
                + ChartBlock.Render("chart-speedup", StudyCharts.Speedup(analysis)));
        }

        for (var i = 0; i < analysis.Profiles.Count; i++)
        {
            var profile = analysis.Profiles[i];
            page.Section($"profile-{i + 1}", $"Profile {profile.Label(analysis.SeveralPolicies)}", Profile(profile, i + 1, sweep.ProcessorCount));
        }

        page.Section("cells", "Every run", RunsTable(analysis));
        page.Section("sweep", "Sweep", $"<pre id=\"sweep-json\">{Encode(JsonSerializer.Serialize(sweep.Sweep, Pretty))}</pre>\n");
        page.Section("environment", "Environment", Environment(analysis));
        return page.ToString();
    }

    // One card per profile, green where it scaled linearly; the same lines the sweep ends with in the terminal.
    private static string Verdicts(StudyAnalysis analysis)
    {
        if (analysis.Profiles.Count == 0)
        {
            return "<p>No run finished, so there is nothing to show.</p>\n";
        }

        var html = new StringBuilder();
        var verdicts = StudyVerdict.Of(analysis);
        for (var i = 0; i < verdicts.Count; i++)
        {
            html.Append(Invariant, $"<div class=\"banner verdict {(StudyVerdict.Linear(analysis.Profiles[i]) ? "good" : "partial")}\" id=\"verdict-{i + 1}\"><a href=\"#profile-{i + 1}\">{Encode(verdicts[i])}</a></div>\n");
        }

        return html.ToString();
    }

    private static string Contents(StudyAnalysis analysis, bool scaled)
    {
        var entries = new List<(string Id, string Title)> { ("lesson", "What the study showed") };
        if (scaled)
        {
            entries.Add(("speedup", "Speedup over instances"));
        }

        entries.AddRange(analysis.Profiles.Select((p, i) => ($"profile-{i + 1}", $"Profile {p.Label(analysis.SeveralPolicies)}")));
        entries.AddRange([("cells", "Every run"), ("sweep", "Sweep"), ("environment", "Environment")]);
        return "<nav id=\"contents\"><b>Contents:</b> "
            + string.Join(" · ", entries.Select(e => $"<a href=\"#{e.Id}\">{Encode(e.Title)}</a>"))
            + "</nav>\n";
    }

    private static string Lesson(StudyAnalysis analysis)
    {
        var html = new StringBuilder();
        var sweep = analysis.Sweep;
        if (sweep.Partial)
        {
            html.Append(Invariant, $"<div class=\"banner partial\" id=\"partial\">{VerdictWords.Partial}: {Encode(sweep.PartialReason)}; {analysis.Profiles.Sum(p => p.Cells.Count)} runs finished, and the figures cover them</div>\n");
        }

        if (analysis.Profiles.Count == 0)
        {
            return html.Append("<p>No run finished, so there is nothing to show.</p>\n").ToString();
        }

        if (StudyExplanation.Comparison(analysis) is { } comparison)
        {
            html.Append(Invariant, $"<p id=\"lesson-comparison\"><b>{Encode(comparison)}</b></p>\n");
        }

        for (var i = 0; i < analysis.Profiles.Count; i++)
        {
            var profile = analysis.Profiles[i];
            html.Append(Invariant, $"<h3>{Encode(profile.Label(analysis.SeveralPolicies))}</h3>\n");
            foreach (var paragraph in StudyExplanation.Of(profile, sweep.ProcessorCount))
            {
                html.Append(Invariant, $"<p class=\"lesson-{i + 1}\">{Encode(paragraph)}</p>\n");
            }
        }

        var invalid = analysis.Profiles.SelectMany(p => p.Cells).Count(c => !c.Valid);
        if (invalid > 0)
        {
            html.Append(Invariant, $"<p class=\"worse\" id=\"invalid-runs\">{invalid} run(s) are marked {VerdictWords.Invalid}: the load generator could not keep up, so they measured the generator as much as the servers (see their reports).</p>\n");
        }

        return html.ToString();
    }

    private static string Profile(ProfileStudy profile, int number, int cores)
    {
        var html = new StringBuilder();
        html.Append(Invariant, $"<p class=\"muted\">{Encode(Work(profile))}</p>\n");
        if (profile.Scaling.Count >= 2)
        {
            html.Append("<h3>Throughput over instances</h3>\n")
                .Append(ChartBlock.Render($"chart-scaling-{number}", StudyCharts.Scaling(profile, cores)))
                .Append(Invariant, $"<table id=\"table-scaling-{number}\">\n")
                .Append(HeaderRow("instances", "best load", "calls/s", "bound (calls/s)", "of the bound", "speedup", "efficiency", "server cores", "server CPU per call (ms)", "generator cores", $"machine: busy of {cores} cores"));
            foreach (var step in profile.Scaling)
            {
                html.Append(Row(
                    Number(step.Instances),
                    step.Best.Cell.LoadText,
                    NumberText.Rate(step.Throughput),
                    profile.Bound(step.Instances, cores) is { } bound ? NumberText.Rate(bound.CallsPerSecond) : "-",
                    profile.Bound(step.Instances, cores) is { } b ? NumberText.Percent(step.Throughput / b.CallsPerSecond, 1) : "-",
                    step.Speedup.ToString("0.00", Invariant) + "×",
                    NumberText.Percent(step.Efficiency, 1),
                    step.Best.ServerCores is { } s ? s.ToString("0.00", Invariant) : "-",
                    step.Best.ServerCpuPerCallMs is { } perCall ? NumberText.Millis(perCall) : "-",
                    step.Best.GeneratorCores.ToString("0.00", Invariant),
                    step.BusyCores is { } busy ? busy.ToString("0.00", Invariant) : "-"));
            }

            html.Append("</table>\n");
        }

        foreach (var fleet in profile.PartlyMeasuredFleets)
        {
            var measured = string.Join(", ", profile.Cells.Where(c => c.Cell.Instances == fleet).Select(c => c.Cell.LoadText));
            html.Append(Invariant, $"<p class=\"worse\" id=\"partly-measured-{number}-{fleet}\">{Fleet(fleet)}: measured only at {Encode(measured)}, not at every load the sweep planned (it stopped part way, or a run could not be read or measured nothing): left out of the throughput over instances, since its best load may be among those missing.</p>\n");
        }

        var what = profile.OpenModel ? "offered load" : "concurrency";
        html.Append(Invariant, $"<h3>Throughput and latency over {what} on {Fleet(profile.LoadCurve[0].Cell.Instances)}</h3>\n")
            .Append(ChartBlock.Render($"chart-load-{number}", StudyCharts.LoadCurve(profile, cores)))
            .Append("<p class=\"muted\">Little's law: calls in flight L = throughput X × latency W in any stable system, so X should equal L/W (the open diamonds sit on the throughput line where it holds). A gap means the latency counted time the calls were not in flight (or the reverse). The red line is the bound the fleet's work allows by construction.</p>\n")
            .Append(Invariant, $"<table id=\"table-little-{number}\">\n")
            .Append(HeaderRow(what, "in flight L", "mean latency W (ms)", "p99 (ms)", "measured X (calls/s)", "L/W (calls/s)", "X vs L/W", "errors"));
        foreach (var cell in profile.LoadCurve)
        {
            html.Append(Row(
                cell.Cell.LoadText,
                cell.InFlight.ToString("0.#", Invariant),
                NumberText.Millis(cell.MeanLatencyMs),
                NumberText.Millis(cell.P99Ms),
                NumberText.Rate(cell.Throughput),
                NumberText.Rate(cell.LittleThroughput),
                (cell.LittleDeviation >= 0 ? "+" : "") + NumberText.Percent(cell.LittleDeviation, 1),
                NumberText.Percent(cell.ErrorRate, 2)));
        }

        html.Append("</table>\n")
            .Append(Invariant, $"<h3>Latency over {what}, per fleet (the hockey stick)</h3>\n")
            .Append(Invariant, $"<p class=\"muted\">p99 over the load each instance carried (total ÷ instances), so that every fleet's curve gets the same room: flat while there is capacity, then steep.</p>\n")
            .Append(ChartBlock.Render($"chart-hockey-{number}", StudyCharts.HockeyStick(profile)))
            .Append(ColdStarts(profile, number))
            .Append("<h3>Universal Scalability Law</h3>\n")
            .Append(Invariant, $"<table id=\"table-usl-{number}\">\n")
            .Append(HeaderRow("fitted over", "points", "σ contention", "κ coherency", "λ (calls/s)", "peak at", "peak calls/s", "R²", "residual std. error"))
            .Append(FitRow("instances", profile.ScalingFit, profile.Scaling.Count))
            .Append(profile.OpenModel ? string.Empty : FitRow($"concurrency on {Fleet(profile.LoadCurve[0].Cell.Instances)}", profile.LoadFit, profile.LoadCurve.Count))
            .Append("</table>\n<p class=\"muted\">X(N) = λN / (1 + σ(N−1) + κN(N−1)), fitted by nonlinear least squares. σ (contention) is the share of the work that waits its turn for something every instance needs — on this machine, its cores. κ (crosstalk) is a cost that grows with every pair of instances; these instances share no state, so here it is their contending for the same cores, caches and scheduler, which makes throughput fall past the peak √((1−σ)/κ).</p>\n");
        return html.ToString();
    }

    private static string FitRow(string over, UslModel? fit, int points) => fit is null
        ? Row(over, Number(points), $"needs {StudyAnalysis.FewestFitPoints} points", "-", "-", "-", "-", "-", "-")
        : Row(
            over,
            Number(fit.Points),
            fit.Sigma.ToString("0.#####", Invariant),
            fit.Kappa.ToString("0.######", Invariant),
            NumberText.Rate(fit.Lambda),
            fit.PeakInstances is { } n && double.IsFinite(n) ? n.ToString("0.#", Invariant) : "no peak",
            fit.PeakThroughput is { } x && double.IsFinite(x) ? NumberText.Rate(x) : "-",
            fit.RSquared.ToString("0.####", Invariant),
            fit.ResidualStandardError is { } e ? e.ToString("0.##", Invariant) : F($"- (needs more than {StudyAnalysis.FewestFitPoints} points)"));

    private static string ColdStarts(ProfileStudy profile, int number)
    {
        var cold = profile.ColdStarts;
        if (cold.Count == 0)
        {
            return string.Empty;
        }

        var runs = string.Join("; ", cold.Select(c => F($"{Fleet(c.Cell.Instances)} at {c.Cell.LoadText}: p99 {NumberText.Millis(c.P99Ms)} ms")));
        return F($"<p class=\"worse\" id=\"cold-start-{number}\">First run on a fresh fleet: {Encode(runs)} — the highest p99 of its fleet at a lower load than its highest, although the fleet was warmed up first. Read it as a cold start (compilation, pools still growing), not as the cost of load.</p>\n");
    }

    private static string F(FormattableString text) => text.ToString(Invariant);

    private static string RunsTable(StudyAnalysis analysis)
    {
        var html = new StringBuilder("<table id=\"cells-table\">\n");
        html.Append(HeaderRow("run", "profile", "policy", "instances", "load", "calls/s", "mean (ms)", "p99 (ms)", "errors", "verdict"));
        foreach (var cell in analysis.Profiles.SelectMany(p => p.Cells))
        {
            var verdict = cell.Partial ? VerdictWords.Partial : VerdictWords.Validity(cell.Valid);
            html.Append(Invariant, $"<tr><td><a href=\"../{Uri.EscapeDataString(cell.Cell.RunFolder!)}/{RunReportWriter.ReportFile}\">{Encode(cell.Cell.RunFolder)}</a></td>")
                .Append(Cells(
                    cell.Cell.Profile,
                    cell.Cell.Policy,
                    Number(cell.Cell.Instances),
                    cell.Cell.LoadText,
                    NumberText.Rate(cell.Throughput),
                    NumberText.Millis(cell.MeanLatencyMs),
                    NumberText.Millis(cell.P99Ms),
                    NumberText.Percent(cell.ErrorRate, 2),
                    verdict))
                .Append("</tr>\n");
        }

        html.Append("</table>\n");
        foreach (var missing in analysis.MissingRuns)
        {
            html.Append(Invariant, $"<p class=\"worse\">Run {Encode(missing)} could not be read: it was moved or deleted, and is left out above.</p>\n");
        }

        foreach (var unmeasured in analysis.UnmeasuredRuns)
        {
            html.Append(Invariant, $"<p class=\"worse\">Run <a href=\"../{Uri.EscapeDataString(unmeasured)}/{RunReportWriter.ReportFile}\">{Encode(unmeasured)}</a> measured nothing (no call ended in its measured phases; its report says why), and is left out above and of every figure.</p>\n");
        }

        return html.ToString();
    }

    private static string Environment(StudyAnalysis analysis)
    {
        var sweep = analysis.Sweep;
        return "<table class=\"left\">\n"
            + Row("cores", Number(sweep.ProcessorCount) + " (shared by every server and the load generator)")
            + Row("started", sweep.StartedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", Invariant))
            + Row("ended", sweep.EndedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", Invariant))
            + Row("runs", Number(sweep.Cells.Count))
            + "</table>\n";
    }

    private static string Work(ProfileStudy profile)
    {
        if (profile.Work is not { } work)
        {
            return "Work: the scenario's own.";
        }

        var parts = new List<string>();
        if (work.Delay > TimeSpan.Zero)
        {
            parts.Add($"each call waits {NumberText.Millis(work.Delay.TotalMilliseconds)} ms (I/O: holds no thread)");
        }

        if (work.Cpu > TimeSpan.Zero)
        {
            parts.Add($"each call spins {NumberText.Millis(work.Cpu.TotalMilliseconds)} ms of CPU");
        }

        parts.Add(work.Capacity > 0 ? $"capacity {work.Capacity} calls at once per instance" + (work.Queue is { } q ? $", {q} may wait" : "") : "no capacity limit");
        if (work.Pin)
        {
            parts.Add("instances pinned to one core each");
        }

        return (work.Description is { Length: > 0 } d ? d + " " : "") + "Work: " + string.Join("; ", parts) + ".";
    }

    private static string Fleet(int instances) => instances == 1 ? "1 instance" : $"{Number(instances)} instances";

    private static string Number(int value) => value.ToString(Invariant);
}

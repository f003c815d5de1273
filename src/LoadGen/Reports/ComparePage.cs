using System.Globalization;
using System.Text;
using GrpcLoadLab.LoadGen.Reports.Charts;
using GrpcLoadLab.LoadGen.Reports.Figures;
using GrpcLoadLab.LoadGen.Reports.Html;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;
using static GrpcLoadLab.LoadGen.Reports.Html.Html;

namespace GrpcLoadLab.LoadGen.Reports;

/// <summary>
/// <c>compare-TIME.html</c>: 2 to 10 runs of one call kind on one page. Sections: <c>runs</c> (which run is which),
/// <c>key-figures</c> (table <c>delta-table</c>: each figure per run and its change against the first run, absolute and
/// %, marked <c>better</c>/<c>worse</c>/<c>same</c> by the figure's direction), <c>throughput</c>,
/// <c>latency-over-time</c> and <c>spectrum</c> (the report's charts with every run overlaid, x = seconds from each
/// run's own start), and <c>differences</c> (table <c>config-diff</c>: the scenario and environment keys whose values
/// differ).
/// </summary>
internal static class ComparePage
{
    /// <summary>Writes the page to <paramref name="path"/>, with the shared plotly.js beside it.</summary>
    public static void Write(string path, IReadOnlyList<RunResult> runs)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        PlotlyJs.WriteInto(folder);
        File.WriteAllText(path, Render(runs));
    }

    public static string Render(IReadOnlyList<RunResult> runs)
    {
        var series = runs.Select((run, i) => new RunSeries($"#{i + 1} {run.Name}", run) { Colour = RunSeries.Palette[i % RunSeries.Palette.Count] }).ToList();
        var page = new HtmlPage($"Comparison of {runs.Count} runs");
        page.Append($"<h1 id=\"title\">Comparison of {runs.Count} runs</h1>\n");
        page.Section("runs", "Runs", Runs(runs));
        page.Section("key-figures", "Key figures against run #1", DeltaTable(runs));
        page.Section("throughput", "Throughput", ChartBlock.Render("chart-throughput", TimeCharts.Throughput(series)));
        page.Section("latency-over-time", "Latency percentiles over time", ChartBlock.Render("chart-latency-over-time", TimeCharts.LatencyOverTime(series)));
        page.Section("spectrum", "Percentile spectra", ChartBlock.Render("chart-spectrum", DistributionCharts.Spectra(series, ("latency", t => t.Latency))));
        page.Section("differences", "Differences in scenario and environment", Differences(runs));
        return page.ToString();
    }

    private static string Runs(IReadOnlyList<RunResult> runs)
    {
        var html = new StringBuilder("<table class=\"left\" id=\"runs-table\">\n").Append(HeaderRow("#", "run", "started", "call", "servers", "verdict"));
        for (var i = 0; i < runs.Count; i++)
        {
            var r = runs[i];
            html.Append(Row(
                $"#{i + 1}",
                r.Name + AgentWords.Mark(AgentWords.Of(r)) + VerdictWords.PartialMark(r.Partial),
                r.StartedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                ScenarioView.CallLabel(r.Scenario.Call),
                r.Environment.ServerCount.ToString(CultureInfo.InvariantCulture),
                VerdictWords.InShort(r.Verdict.Passed, r.Verdict.Valid)));
        }

        return html.Append("</table>\n").ToString();
    }

    private static string DeltaTable(IReadOnlyList<RunResult> runs)
    {
        var html = new StringBuilder("<table id=\"delta-table\">\n<tr><th>figure</th>");
        for (var i = 0; i < runs.Count; i++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>#{i + 1}</th>");
            if (i > 0)
            {
                html.Append(CultureInfo.InvariantCulture, $"<th>#{i + 1} vs #1</th>");
            }
        }

        html.Append("</tr>\n");
        foreach (var figure in KeyFigures.For(runs))
        {
            var baseline = figure.Value(runs[0])!.Value;
            html.Append(CultureInfo.InvariantCulture, $"<tr data-figure=\"{figure.Id}\"><td>{Encode(figure.Heading)}</td><td>{Encode(figure.Format(baseline))}</td>");
            foreach (var run in runs.Skip(1))
            {
                var value = figure.Value(run)!.Value;
                html.Append(CultureInfo.InvariantCulture, $"<td>{Encode(figure.Format(value))}</td><td class=\"{figure.Judge(baseline, value)}\">{Encode(figure.Change(baseline, value))}</td>");
            }

            html.Append("</tr>\n");
        }

        return html.Append("</table>\n").ToString();
    }

    private static string Differences(IReadOnlyList<RunResult> runs)
    {
        var differences = ConfigDiff.Differences(runs);
        if (differences.Count == 0)
        {
            return "<p id=\"config-diff\">The runs' scenarios and environments are the same.</p>\n";
        }

        var html = new StringBuilder("<table class=\"left\" id=\"config-diff\">\n<tr><th>key</th>");
        for (var i = 0; i < runs.Count; i++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>#{i + 1}</th>");
        }

        html.Append("</tr>\n");
        foreach (var (key, values) in differences)
        {
            html.Append(Row([key, .. values]));
        }

        return html.Append("</table>\n").ToString();
    }
}

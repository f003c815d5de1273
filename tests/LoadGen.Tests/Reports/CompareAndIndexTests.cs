using System.Text.Json;
using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Tests.Reports;

public class CompareAndIndexTests
{
    [Fact]
    public void Compare_refuses_mixed_call_kinds_too_few_runs_and_folders_without_a_result()
    {
        var mixed = Assert.Throws<ReportException>(() => RunFolders.ReadComparable([TestRuns.Folder("unary-open"), TestRuns.Folder("bidi")]));
        Assert.Equal("cannot compare runs of different call kinds (unary, bidi): compare runs of one kind", mixed.Message);

        Assert.Throws<ReportException>(() => RunFolders.ReadComparable([TestRuns.Folder("unary-open")]));
        Assert.Throws<ReportException>(() => RunFolders.ReadComparable([.. Enumerable.Repeat(TestRuns.Folder("unary-open"), 11)]));
        Assert.Throws<ReportException>(() => RunFolders.ReadComparable([TestRuns.Folder("unary-open"), TestRuns.Folder("none")]));
    }

    [Fact]
    public void The_delta_table_signs_changes_and_marks_them_by_the_figures_direction()
    {
        // The closed run against the open one: far more calls/s (better), a lower p99 (better), more errors (worse).
        var runs = RunFolders.ReadComparable([TestRuns.Folder("unary-open"), TestRuns.Folder("unary-closed")]);
        var table = RunReportTests.Table(ComparePage.Render(runs), "delta-table");

        Assert.Matches("data-figure=\"callsPerSecond\">.*<td class=\"better\">\\+[0-9.]+ \\(\\+[0-9.]+%\\) ▲ better</td>", table);
        Assert.Matches("data-figure=\"p99\">.*<td class=\"better\">−[0-9.]+ \\(−[0-9.]+%\\) ▲ better</td>", table);
        Assert.Matches("data-figure=\"errorRate\">.*<td class=\"worse\">\\+[0-9.]+% ▼ worse</td>", table);
        Assert.Matches("data-figure=\"dropped\">.*<td class=\"same\">&#177;0 = same</td>", table);

        // Figures one run lacks (service time: open model only) are left out rather than compared with nothing.
        Assert.DoesNotContain("data-figure=\"serviceP99\"", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_overlays_the_charts_and_lists_the_set_up_differences()
    {
        var runs = RunFolders.ReadComparable([TestRuns.Folder("unary-open"), TestRuns.Folder("unary-closed")]);
        var html = ComparePage.Render(runs);

        foreach (var chart in new[] { "chart-throughput", "chart-latency-over-time", "chart-spectrum" })
        {
            Assert.Contains($"<div class=\"chart\" id=\"{chart}\"></div>", html, StringComparison.Ordinal);
        }

        Assert.Contains("#1 unary-open: p99", html, StringComparison.Ordinal);
        Assert.Contains("#2 unary-closed: p99", html, StringComparison.Ordinal);
        var differences = RunReportTests.Table(html, "config-diff");
        Assert.Contains("<td>scenario.name</td><td>unary-open</td><td>unary-closed</td>", differences, StringComparison.Ordinal);
        Assert.Contains("<td>scenario.phases[1].type</td><td>constant-rate</td><td>constant-concurrency</td>", differences, StringComparison.Ordinal);
        Assert.DoesNotContain("environment.processorCount", differences, StringComparison.Ordinal);
        RunReportTests.AssertOffline(html);
    }

    [Fact]
    public void The_index_lists_every_run_newest_first_with_its_set_up_and_embeds_only_what_its_comparison_needs()
    {
        var reports = TestRuns.CopyToTemporaryReports("unary-open", "unary-closed", "bidi", "hostile");
        try
        {
            var runs = RunFolders.All(reports);
            var html = File.ReadAllText(IndexPage.Write(reports));

            Assert.Equal(4, runs.Count);
            Assert.True(runs.Zip(runs.Skip(1)).All(pair => pair.First.Entry.StartedAt >= pair.Second.Entry.StartedAt));
            var rows = RunReportTests.Rows(RunReportTests.Table(html, "runs-table"));
            Assert.Equal(runs.Select(r => r.Folder), rows.Skip(1).Select(row => row[(row.IndexOf("data-run=\"", StringComparison.Ordinal) + 10)..row.IndexOf("\"><td>", StringComparison.Ordinal)]));
            // Units in the headers; the set-up of each run from its scenario.
            Assert.Contains("<th class=\"sortable\" data-type=\"number\">p99 (ms)</th>", rows[0], StringComparison.Ordinal);
            Assert.Contains("<th class=\"sortable\" data-type=\"number\">errors (%)</th>", rows[0], StringComparison.Ordinal);
            var open = rows.Single(row => row.Contains("data-run=\"unary-open\"", StringComparison.Ordinal));
            var result = TestRuns.Read("unary-open");
            Assert.Contains($"<td data-value=\"{result.Environment.ServerCount}\">{result.Environment.ServerCount}</td><td data-value=\"300\">300/s</td><td>round_robin</td>", open, StringComparison.Ordinal);
            Assert.Contains($"<td data-value=\"{result.Totals.Latency.P99 / 1000.0:R}\">{KeyFigures.Get("p99").Format(result.Totals.Latency.P99 / 1000.0)}</td>", open, StringComparison.Ordinal);

            using var data = JsonDocument.Parse(Embedded(html, "runs-data"));
            Assert.Equal(4, data.RootElement.GetArrayLength());
            var openData = data.RootElement.EnumerateArray().Single(r => r.GetProperty("folder").GetString() == "unary-open");
            Assert.Equal("unary", openData.GetProperty("kind").GetString());
            Assert.Equal(result.Totals.Latency.P99 / 1000.0, openData.GetProperty("figures").GetProperty("p99").GetDouble());

            // The charts stay in each run's folder, out of the page, until the run is compared.
            Assert.DoesNotContain("runs-charts", html, StringComparison.Ordinal);
            var charts = File.ReadAllText(Path.Combine(reports, "bidi", IndexEntries.ChartsFile));
            Assert.StartsWith(IndexEntries.ChartsCallback + "({", charts, StringComparison.Ordinal);
            using var bidiCharts = JsonDocument.Parse(charts[(IndexEntries.ChartsCallback.Length + 1)..charts.LastIndexOf(')')]);
            Assert.True(bidiCharts.RootElement.GetProperty("spectrum").GetProperty("data").GetArrayLength() > 0);

            // The page reads the rule and the formats C# decides.
            using var definitions = JsonDocument.Parse(Embedded(html, "figure-definitions"));
            var p99 = definitions.RootElement.EnumerateArray().Single(d => d.GetProperty("id").GetString() == "p99");
            Assert.Equal("p99 (ms)", p99.GetProperty("heading").GetString());
            Assert.Equal("lower", p99.GetProperty("better").GetString());
            Assert.Equal(2, p99.GetProperty("format").GetProperty("places")[0].GetProperty("decimals").GetInt32());
            using var rule = JsonDocument.Parse(Embedded(html, "delta-rule"));
            Assert.Equal(KeyFigure.SameWithin, rule.RootElement.GetProperty("sameWithin").GetDouble());
            Assert.Equal("▲ better", rule.RootElement.GetProperty("marks").GetProperty("better").GetString());

            // The page's own comparison refuses mixed kinds too.
            Assert.Contains("Cannot compare runs of different call kinds", html, StringComparison.Ordinal);
            RunReportTests.AssertOffline(html);
        }
        finally
        {
            Directory.Delete(reports, recursive: true);
        }
    }

    [Fact]
    public void The_index_names_a_sweep_s_profile_beside_its_runs_and_lists_the_comparison_pages()
    {
        var reports = TestRuns.CopyToTemporaryReports("unary-open", "unary-closed");
        try
        {
            var sweep = Directory.CreateDirectory(Path.Combine(reports, "20250101-120000-sweep-demo")).FullName;
            SweepJson.Write(Study.StudyIndexTests.Sweep("demo", partial: false) with { Cells = [new SweepCellResult("io-bound", "round_robin", 3, true, 300, "unary-open", 0)] }, sweep);
            File.WriteAllText(Path.Combine(reports, "compare-20250101-120500.html"), "<html></html>");

            var html = File.ReadAllText(IndexPage.Write(reports));

            var rows = RunReportTests.Rows(RunReportTests.Table(html, "runs-table"));
            Assert.Contains("<td>unary</td><td>io-bound</td>", rows.Single(row => row.Contains("data-run=\"unary-open\"", StringComparison.Ordinal)), StringComparison.Ordinal);
            Assert.Contains("<td>unary</td><td>-</td>", rows.Single(row => row.Contains("data-run=\"unary-closed\"", StringComparison.Ordinal)), StringComparison.Ordinal);
            Assert.Contains("<a href=\"compare-20250101-120500.html\">compare-20250101-120500.html</a>", RunReportTests.Table(html, "compare-pages-table"), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(reports, recursive: true);
        }
    }

    private static string Embedded(string html, string id)
    {
        var open = $"<script type=\"application/json\" id=\"{id}\">";
        var start = html.IndexOf(open, StringComparison.Ordinal) + open.Length;
        return html[start..html.IndexOf("</script>", start, StringComparison.Ordinal)];
    }
}

using System.Text.Json;
using GrpcLoadLab.LoadGen.Reports;

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
        var table = RunReportTests.Table(CompareReport.Render(runs), "delta-table");

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
        var html = CompareReport.Render(runs);

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
    public void The_index_lists_every_run_newest_first_and_embeds_their_data()
    {
        var reports = TestRuns.CopyToTemporaryReports("unary-open", "unary-closed", "bidi", "hostile");
        try
        {
            var runs = RunFolders.All(reports);
            var html = File.ReadAllText(IndexPage.Write(reports));

            Assert.Equal(4, runs.Count);
            Assert.True(runs.Zip(runs.Skip(1)).All(pair => pair.First.Result.StartedAt >= pair.Second.Result.StartedAt));
            var rows = RunReportTests.Rows(RunReportTests.Table(html, "runs-table"));
            Assert.Equal(runs.Select(r => r.Folder), rows.Skip(1).Select(row => row[(row.IndexOf("data-run=\"", StringComparison.Ordinal) + 10)..row.IndexOf("\"><td>", StringComparison.Ordinal)]));

            using var data = JsonDocument.Parse(Embedded(html, "runs-data"));
            Assert.Equal(4, data.RootElement.GetArrayLength());
            var open = data.RootElement.EnumerateArray().Single(r => r.GetProperty("folder").GetString() == "unary-open");
            var result = TestRuns.Read("unary-open");
            Assert.Equal("unary", open.GetProperty("kind").GetString());
            Assert.Equal(result.Totals.Latency.P99 / 1000.0, open.GetProperty("figures").GetProperty("p99").GetDouble());
            Assert.Equal(result.Timeline.Count, open.GetProperty("timeline").GetArrayLength());
            Assert.True(open.GetProperty("spectrum").GetArrayLength() > 10);

            using var charts = JsonDocument.Parse(Embedded(html, "runs-charts"));
            Assert.True(charts.RootElement.GetProperty("bidi").GetProperty("spectrum").GetProperty("data").GetArrayLength() > 0);
            using var definitions = JsonDocument.Parse(Embedded(html, "figure-definitions"));
            Assert.Contains(definitions.RootElement.EnumerateArray(), d => d.GetProperty("id").GetString() == "callsPerSecond" && d.GetProperty("better").GetString() == "higher");

            // The page's own comparison refuses mixed kinds too.
            Assert.Contains("Cannot compare runs of different call kinds", html, StringComparison.Ordinal);
            RunReportTests.AssertOffline(html);
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

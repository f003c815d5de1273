using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Tests.Study;

namespace GrpcLoadLab.LoadGen.Tests.Reports;

public class RunReportLinksTests
{
    [Fact]
    public void A_run_of_its_own_links_to_the_index_and_its_files()
    {
        var html = RunPage.Render(TestRuns.Read("unary-open"));

        Assert.Equal(["../index.html", "result.json", "summary.md", "stats.csv"], Links(html));
    }

    [Fact]
    public void A_run_of_a_sweep_links_to_its_study()
    {
        var html = RunPage.Render(TestRuns.Read("unary-open"), "../20250101-090000-sweep-demo/study.html");

        Assert.Equal(["../index.html", "../20250101-090000-sweep-demo/study.html", "result.json", "summary.md", "stats.csv"], Links(html));
    }

    [Fact]
    public void Rebuilding_a_run_of_a_sweep_finds_the_sweep_that_lists_it()
    {
        var reports = TestRuns.CopyToTemporaryReports("unary-open", "bidi");
        try
        {
            var sweep = Path.Combine(reports, "20250101-090000-sweep-demo");
            Directory.CreateDirectory(sweep);
            SweepJson.Write(SweepWithRun("unary-open"), sweep);

            Assert.Equal(Path.GetFullPath(sweep), Path.GetFullPath(RunReportWriter.SweepListing(Path.Combine(reports, "unary-open"))!));
            Assert.Null(RunReportWriter.SweepListing(Path.Combine(reports, "bidi")));
        }
        finally
        {
            Directory.Delete(reports, recursive: true);
        }
    }

    [Fact]
    public void The_fleets_settings_are_told_from_the_servers_stats_replies()
    {
        var result = TestRuns.Read("unary-closed");
        var summary = RunReportTests.Table(RunPage.Render(result), "summary-table");
        Assert.Contains("<tr><td>fleet</td><td>capacity 2 calls at once, queue 1, 2 cores, on each of 3 instances</td></tr>", summary, StringComparison.Ordinal);

        var pinned = result with { Servers = [.. result.Servers.Select(s => s with { End = Pin(s.End, capacity: 8) })] };
        summary = RunReportTests.Table(RunPage.Render(pinned), "summary-table");
        Assert.Contains("capacity 8 calls at once, queue 1, pinned to 1 of 2 cores, on each of 3 instances", summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unary-open", new[] { "replies", "messages", "messageInterval" })]
    [InlineData("bidi", new[] { "replies" })]
    public void The_scenario_shows_only_the_call_fields_of_its_kind(string name, string[] absent)
    {
        var html = RunPage.Render(TestRuns.Read(name));
        var json = System.Net.WebUtility.HtmlDecode(Regex.Match(html, "<pre id=\"scenario-json\">([^<]*)</pre>").Groups[1].Value);
        var call = JsonNode.Parse(json)!["call"]!.AsObject();

        Assert.All(absent, field => Assert.False(call.ContainsKey(field), field));
        Assert.True(call.ContainsKey("delay"));
    }

    [Fact]
    public void A_warm_up_is_named_once()
    {
        var html = RunPage.Render(TestRuns.Read("unary-open"));

        Assert.DoesNotContain("(WARM-UP)", html, StringComparison.Ordinal);
        Assert.Contains("<td>warm-up (excluded)</td>", RunReportTests.Table(html, "phases-table"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_thresholds_actual_latency_reads_as_the_figure_above_it()
    {
        var result = TestRuns.Read("unary-closed");
        var html = RunPage.Render(result);

        var p99 = NumberText.Millis(result.Totals.Latency.P99 / 1000.0);
        Assert.Contains($"<div class=\"value\">{p99} ms</div>", html, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>p99 &lt; 50ms</td><td>{p99} ms</td><td>PASS</td></tr>", RunReportTests.Table(html, "thresholds"), StringComparison.Ordinal);
    }

    private static InstanceStats Pin(InstanceStats? stats, int capacity)
    {
        var copy = stats!.Clone();
        copy.ProcessorCount = 1;
        copy.Capacity = capacity;
        return copy;
    }

    private static SweepResult SweepWithRun(string runFolder) => new(
        SweepResult.SchemaName,
        SweepResult.CurrentVersion,
        "demo",
        Partial: false,
        PartialReason: null,
        DateTimeOffset.UnixEpoch,
        DateTimeOffset.UnixEpoch,
        StudySweeps.Spec("demo"),
        ProcessorCount: 2,
        [new SweepCellResult("io", "round_robin", 1, OpenModel: false, 8, runFolder, 0)]);

    private static List<string> Links(string html) =>
        [.. Regex.Matches(Regex.Match(html, "<nav id=\"links\">(.*?)</nav>").Groups[1].Value, "href=\"([^\"]*)\"").Select(m => m.Groups[1].Value)];
}

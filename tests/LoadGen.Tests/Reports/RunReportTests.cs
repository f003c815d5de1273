using System.Text.RegularExpressions;
using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Reports.Html;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Tests.Reports;

public partial class RunReportTests
{
    [Theory]
    [InlineData("unary-open")]
    [InlineData("unary-closed")]
    [InlineData("bidi")]
    public void The_summary_prints_the_results_p99_and_calls_per_second(string name)
    {
        var result = TestRuns.Read(name);
        var html = RunPage.Render(result);

        Assert.Equal(NumberText.Millis(result.Totals.Latency.P99 / 1000.0) + " ms", Figure(html, "p99"));
        Assert.Equal(NumberText.Rate(result.Totals.CallsPerSecond), Figure(html, "callsPerSecond"));
        Assert.Equal(NumberText.Millis(result.Totals.Latency.P999 / 1000.0) + " ms", Figure(html, "p999"));
    }

    [Fact]
    public void Every_section_and_chart_is_there_with_its_id()
    {
        var html = RunPage.Render(TestRuns.Read("unary-open"));

        foreach (var section in new[] { "summary", "throughput", "latency-over-time", "spectrum", "histogram", "open-model", "servers", "status-codes", "generator", "scenario", "environment", "phases" })
        {
            Assert.Contains($"<section id=\"{section}\">", html, StringComparison.Ordinal);
        }

        foreach (var chart in new[] { "chart-throughput", "chart-latency-over-time", "chart-spectrum", "chart-histogram", "chart-open-model", "chart-server-share", "chart-status-codes", "chart-generator" })
        {
            Assert.Contains($"<div class=\"chart\" id=\"{chart}\"></div>", html, StringComparison.Ordinal);
            Assert.Contains($"Plotly.newPlot(\"{chart}\"", html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("<section id=\"streaming\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_open_model_section_says_how_late_the_machine_woke_the_dispatcher()
    {
        var result = TestRuns.Read("unary-open");
        var html = RunPage.Render(result with { Totals = result.Totals with { Dispatcher = SampleRunResult.Create().Totals.Dispatcher } });

        var sentence = Regex.Match(html, "<span id=\"dispatcher\">([^<]*)</span>");
        Assert.True(sentence.Success, "no sentence on the dispatcher");
        Assert.Equal(
            "The dispatcher that starts the calls was woken up to 0.12 ms late at p99 (max 0.48 ms), at real-time priority 75% of the time, spinning up to 0.25 ms before a call.",
            sentence.Groups[1].Value);
        // A result written before the dispatcher was recorded has no such sentence, and no made-up figures.
        Assert.DoesNotContain("id=\"dispatcher\"", RunPage.Render(TestRuns.Read("unary-open")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_streaming_run_has_its_streaming_section_and_no_open_model_one()
    {
        var result = TestRuns.Read("bidi");
        var html = RunPage.Render(result);

        Assert.Contains("<section id=\"streaming\">", html, StringComparison.Ordinal);
        Assert.Contains("per-message latency", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<section id=\"open-model\">", html, StringComparison.Ordinal);
        Assert.Contains($"<td>{NumberText.Millis(result.Totals.MessageLatency!, h => h.P99)}</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void One_row_per_server_with_its_share()
    {
        var result = TestRuns.Read("unary-open");
        var table = Table(RunPage.Render(result), "servers-table");

        Assert.Equal(result.Endpoints.Count + 1, Rows(table).Count);
        foreach (var endpoint in result.Endpoints)
        {
            Assert.Contains(Rows(table), row => row.Contains($"<td>{endpoint.InstanceId}</td>", StringComparison.Ordinal)
                && row.Contains($"<td>{NumberText.Percent(endpoint.Share, 1)}</td>", StringComparison.Ordinal));
        }

        // Attempts that ended with no status (a killed instance's, say) have their own column, the last.
        var cutOff = result with { Endpoints = [result.Endpoints[0] with { NoStatus = 1234 }, .. result.Endpoints.Skip(1)] };
        Assert.EndsWith("<td>1,234</td></tr>", Rows(Table(RunPage.Render(cutOff), "servers-table"))[1].TrimEnd(), StringComparison.Ordinal);

        // The servers' own counters: the capacity-limited fleet rejected calls, and the table says how many.
        var closed = TestRuns.Read("unary-closed");
        var stats = Table(RunPage.Render(closed), "server-stats-table");
        Assert.Equal(closed.Servers.Count + 1, Rows(stats).Count);
        var rejected = closed.Servers[0].End!.Rejected - (closed.Servers[0].Start?.Rejected ?? 0);
        Assert.Contains($"<td>{NumberText.Count(rejected)}</td>", Rows(stats)[1], StringComparison.Ordinal);
    }

    [Fact]
    public void The_phases_table_has_a_row_per_phase_with_warm_ups_marked()
    {
        var result = TestRuns.Read("unary-open");
        var rows = Rows(Table(RunPage.Render(result), "phases-table"));

        Assert.Equal(result.Phases.Count + 1, rows.Count);
        Assert.Contains("<td>warm-up (excluded)</td>", rows[1], StringComparison.Ordinal);
        Assert.Contains($"<td>{NumberText.Count(result.Phases[2].Stats.Calls.Started)}</td>", rows[3], StringComparison.Ordinal);
    }

    [Fact]
    public void The_verdict_tells_passed_failed_and_why_a_run_is_invalid()
    {
        var invalid = RunPage.Render(TestRuns.Read("unary-open"));
        Assert.Matches("id=\"verdict\">FAILED — thresholds: 1 of 3 FAILED — run INVALID: calls started up to", invalid);

        var closed = TestRuns.Read("unary-closed");
        Assert.Contains("id=\"verdict\">FAILED — thresholds: 1 of 2 FAILED — run valid</div>", RunPage.Render(closed), StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"partial\"", RunPage.Render(closed), StringComparison.Ordinal);
    }

    [Fact]
    public void Strings_from_the_scenario_and_the_servers_are_encoded_never_raw()
    {
        var result = TestRuns.Read("hostile");
        Assert.Contains(TestRuns.Hostile, result.Scenario.Description, StringComparison.Ordinal);

        foreach (var page in new[] { RunPage.Render(result), IndexPage.Render([("hostile", IndexEntry.Of(result, ""))]), SummaryMarkdown.Render(result) })
        {
            Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
            Assert.DoesNotContain("\"&'", page, StringComparison.Ordinal);
        }

        var html = RunPage.Render(result);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&#39;", html, StringComparison.Ordinal);
        Assert.Contains("<div class=\"banner partial\" id=\"partial\">PARTIAL: interrupted &lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<td>srv&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&#39;</td>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unary-open")]
    [InlineData("bidi")]
    [InlineData("hostile")]
    public void The_page_works_offline_and_weighs_under_1_MB_without_plotly_inline(string name)
    {
        var html = RunPage.Render(TestRuns.Read(name));

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(html) < 1024 * 1024);
        AssertOffline(html);
    }

    /// <summary>
    /// No resource from the network: one script from a file, the shared plotly.js (beside the page, or in the folder
    /// above it for a run's or a sweep's page), no other external script or stylesheet, and no src or href to http(s).
    /// </summary>
    internal static void AssertOffline(string html)
    {
        var shared = new Regex($"<script src=\"(\\.\\./)?{Regex.Escape(PlotlyJs.FileName)}\"></script>");
        Assert.Single(shared.Matches(html));
        var ours = shared.Replace(html, "");
        Assert.DoesNotMatch(NetworkReference(), ours);
        Assert.DoesNotContain("<script src", ours, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", ours, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", ours, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", ours, StringComparison.OrdinalIgnoreCase);
    }

    internal static string Table(string html, string id)
    {
        var start = Regex.Match(html, $"<table( class=\"[^\"]*\")? id=\"{id}\">").Index;
        Assert.True(start > 0, $"no table {id}");
        return html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];
    }

    internal static List<string> Rows(string table) => [.. table.Split("<tr", StringSplitOptions.RemoveEmptyEntries).Skip(1)];

    private static string Figure(string html, string id)
    {
        var match = Regex.Match(html, $"id=\"figure-{id}\"><div class=\"value\">([^<]*)</div>");
        Assert.True(match.Success, $"no figure {id}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex NetworkReference();
}

using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Tests.Reports;

/// <summary>A run's faults on its report (a table of what became of each, a mark on every time chart) and in the console summary.</summary>
public class FaultReportTests
{
    private static readonly RunResult WithFaults = TestRuns.Read("unary-open") with
    {
        Faults =
        [
            new FaultRecord(0, "kill", 2, "127.0.0.1:5002", "SIGKILL (kill -9)", 4, null, 4.02, true, null),
            new FaultRecord(1, "slow", 3, "127.0.0.1:5003", "+200ms a call", 5, 9, 5.01, true, null),
            new FaultRecord(2, "fail", 1, "127.0.0.1:5001", "30% of calls fail UNAVAILABLE", 6, null, 6.3, false, $"UNAVAILABLE: {TestRuns.Hostile}"),
            new FaultRecord(3, "restart", 2, null, "started again on its port", 30, null, null, false, "not run: the run ended before its time"),
        ],
    };

    [Fact]
    public void The_faults_section_tells_what_became_of_each_fault()
    {
        var rows = RunReportTests.Rows(RunReportTests.Table(RunPage.Render(WithFaults), "faults-table"));

        Assert.Equal(5, rows.Count);
        Assert.Contains("<td>kill</td><td>2</td><td>127.0.0.1:5002</td><td>SIGKILL (kill -9)</td><td>4</td><td>-</td><td>4.02</td><td>done</td>", rows[1], StringComparison.Ordinal);
        Assert.Contains("<td>5</td><td>9</td><td>5.01</td><td>done</td>", rows[2], StringComparison.Ordinal);
        Assert.Contains("<td>6</td><td>end of run</td><td>6.3</td><td>UNAVAILABLE: &lt;script&gt;", rows[3], StringComparison.Ordinal);
        Assert.Contains("<td>?</td>", rows[4], StringComparison.Ordinal);
        Assert.Contains("<td>-</td><td>not run: the run ended before its time</td>", rows[4], StringComparison.Ordinal);
    }

    [Fact]
    public void Every_time_chart_marks_every_fault_with_its_action_and_instance()
    {
        var html = RunPage.Render(WithFaults);

        foreach (var chart in new[] { "chart-throughput", "chart-latency-over-time", "chart-server-timeline" })
        {
            var figure = Script(html, chart);
            Assert.Contains("\"name\":\"kill instance 2\"", figure, StringComparison.Ordinal);
            Assert.Contains("\"name\":\"slow instance 3: +200ms a call\"", figure, StringComparison.Ordinal);
            Assert.Contains("\"name\":\"fail instance 1: 30% of calls fail UNAVAILABLE (failed)\"", figure, StringComparison.Ordinal);
            Assert.Contains("\"name\":\"restart instance 2 (not run)\"", figure, StringComparison.Ordinal);
            // The kill is a line where it took effect; the slow fault a band from its start to its planned end.
            Assert.Contains("\"x\":[4.02,4.02]", figure, StringComparison.Ordinal);
            Assert.Contains("\"x\":[5.01,9.0]", figure, StringComparison.Ordinal);
        }

        RunReportTests.AssertOffline(html);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_without_faults_has_no_faults_section_but_its_servers_over_time()
    {
        var result = TestRuns.Read("unary-open");
        var html = RunPage.Render(result);

        Assert.Empty(result.Faults);
        Assert.DoesNotContain("<section id=\"faults\">", html, StringComparison.Ordinal);
        var figure = Script(html, "chart-server-timeline");
        foreach (var endpoint in result.Endpoints)
        {
            Assert.Contains($"\"name\":\"{endpoint.InstanceId} ({endpoint.Address})\"", figure, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_console_summary_lists_the_faults_and_their_outcome()
    {
        var output = SummaryOf(WithFaults);

        var lines = output.Split('\n').SkipWhile(line => line != "faults").Skip(1).Take(5).Select(line => line.TrimEnd()).ToList();
        Assert.Matches(@"^\s+at s\s+done s\s+fault\s+outcome$", lines[0]);
        Assert.Matches(@"^\s+4\s+4\.02\s+kill instance 2\s+done$", lines[1]);
        Assert.Matches(@"^\s+30\s+-\s+restart instance 2 \(not run\)\s+not run: the run ended before its time$", lines[4]);
        Assert.DoesNotContain("faults", SummaryOf(TestRuns.Read("unary-open")), StringComparison.Ordinal);
    }

    private static string SummaryOf(RunResult result) => SummaryText.Render(result, "result.json");

    /// <summary>The script that draws the chart <paramref name="id"/>: its figure's JSON.</summary>
    private static string Script(string html, string id)
    {
        var start = html.IndexOf($"<div class=\"chart\" id=\"{id}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no chart {id}");
        return html[start..html.IndexOf("</script>", start, StringComparison.Ordinal)];
    }
}

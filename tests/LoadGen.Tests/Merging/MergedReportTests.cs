using GrpcLoadLab.LoadGen.Merging;
using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Tests.Reports;

namespace GrpcLoadLab.LoadGen.Tests.Merging;

/// <summary>The report, compare and the index treat a merged run like any other, and name its agents.</summary>
public class MergedReportTests
{
    private static readonly long[] Fast = [.. Enumerable.Range(1, 600).Select(i => 1_000L + i)];
    private static readonly long[] Slow = [.. Enumerable.Range(1, 200).Select(i => 30_000L + (i * 11))];

    [Fact]
    public void A_merged_runs_report_lists_its_agents_with_their_own_figures()
    {
        var one = AgentRuns.Agent(1, 2, Fast);
        var two = AgentRuns.Agent(2, 2, Slow, offsetSeconds: 0.012);
        var merged = RunMerger.Merge([("x/agent-1/result.json", one), ("y/agent-2/result.json", two)]);

        var html = RunPage.Render(merged);

        var table = RunReportTests.Table(html, "agents-table");
        Assert.Contains("<td>1/2</td><td>host-1</td><td>2026-12-02 10:00:00.000</td><td>0</td><td>0</td><td>600</td>", table, StringComparison.Ordinal);
        Assert.Contains("<td>2/2</td><td>host-2</td><td>2026-12-02 10:00:00.012</td><td>12</td><td>0.012</td><td>200</td>", table, StringComparison.Ordinal);
        Assert.Contains($"<td>{NumberText.Millis(two.Totals.Latency.P99 / 1000.0)}</td>", table, StringComparison.Ordinal);
        Assert.Contains("<td>y/agent-2/result.json</td>", table, StringComparison.Ordinal);
        // The summary's figures are the merged ones.
        Assert.Contains($"<div class=\"value\">{NumberText.Millis(merged.Totals.Latency.P99 / 1000.0)} ms</div><div class=\"label\">p99</div>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void An_agents_report_says_which_agent_it_was_and_its_clock()
    {
        var agent = AgentRuns.Agent(2, 3, Fast, offsetSeconds: 0.25) with { };
        var late = agent with { Agent = agent.Agent! with { Clock = agent.Agent.Clock with { Late = true } } };

        var table = RunReportTests.Table(RunPage.Render(late), "agent-table");

        Assert.Contains("<tr><td>agent</td><td>2/3</td></tr>", table, StringComparison.Ordinal);
        Assert.Contains("<tr><td>--start-at</td><td>2026-12-02 10:00:00.000</td></tr>", table, StringComparison.Ordinal);
        Assert.Contains("<tr><td>vs --start-at ms</td><td>250 (late)</td></tr>", table, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"agents-table\"", RunPage.Render(TestRuns.Read("unary-closed")), StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"agent-table\"", RunPage.Render(TestRuns.Read("unary-closed")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_index_and_compare_mark_merged_and_agent_runs()
    {
        var one = AgentRuns.Agent(1, 2, Fast);
        var merged = RunMerger.Merge([("a", one), ("b", AgentRuns.Agent(2, 2, Slow))]);
        var reports = Directory.CreateTempSubdirectory("loadgen-merged-index-").FullName;
        try
        {
            foreach (var (name, run) in new[] { ("merged", merged), ("agent", one) })
            {
                Directory.CreateDirectory(Path.Combine(reports, name));
                WholeFile.WriteJson(Path.Combine(reports, name, ResultJson.FileName), run, ResultJson.Options);
            }

            IndexPage.Write(reports);
            var index = File.ReadAllText(Path.Combine(reports, IndexPage.FileName));

            Assert.Contains(">agents</a> (2 agents merged)</td>", index, StringComparison.Ordinal);
            Assert.Contains(">agents</a> (agent 1/2)</td>", index, StringComparison.Ordinal);
            var runs = RunReportTests.Table(ComparePage.Render([merged, one]), "runs-table");
            Assert.Contains("<td>agents (2 agents merged)</td>", runs, StringComparison.Ordinal);
            Assert.Contains("<td>agents (agent 1/2)</td>", runs, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(reports, recursive: true);
        }
    }
}

using GrpcLoadLab.LoadGen.Merging;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Tests.Reports;

namespace GrpcLoadLab.LoadGen.Tests.Merging;

/// <summary>What <c>loadgen merge</c> refuses, each in one line that names the file or the agent: nothing is merged that is not one whole run.</summary>
public sealed class MergeRefusalTests : IDisposable
{
    private static readonly long[] Latencies = [1_000, 2_000, 3_000, 4_000, 5_000, 6_000];

    private readonly string _folder = Directory.CreateTempSubdirectory("loadgen-merge-refusals-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void All_agents_of_one_run_given_in_any_order_are_read_in_agent_order()
    {
        var three = Write("c", AgentRuns.Agent(3, 3, Latencies));
        var one = Write("a", AgentRuns.Agent(1, 3, Latencies));
        var two = Path.Combine(Write("b", AgentRuns.Agent(2, 3, Latencies)), ResultJson.FileName);

        var agents = AgentResults.Read([three, one, two]);

        Assert.Equal([1, 2, 3], agents.Select(a => a.Run.Agent!.Index));
        Assert.Equal(two, agents[1].Source);
    }

    [Fact]
    public void A_missing_agent_is_refused_naming_it_and_the_ones_given()
    {
        var message = Refusal(Write("a", AgentRuns.Agent(1, 3, Latencies)), Write("c", AgentRuns.Agent(3, 3, Latencies)));

        Assert.Equal("agent 2/3 is missing (given: 1/3, 3/3): merge the results of all 3 agents", message);
        Assert.StartsWith("agents 2/4 and 4/4 are missing", Refusal(Write("d", AgentRuns.Agent(1, 4, Latencies)), Write("e", AgentRuns.Agent(3, 4, Latencies))), StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicated_agent_is_refused_naming_both_files()
    {
        var first = Write("a", AgentRuns.Agent(2, 2, Latencies));
        var second = Write("b", AgentRuns.Agent(2, 2, Latencies));

        var message = Refusal(Write("c", AgentRuns.Agent(1, 2, Latencies)), first, second);

        Assert.StartsWith("agent 2/2 is given twice: ", message, StringComparison.Ordinal);
        Assert.Contains(first, message, StringComparison.Ordinal);
        Assert.Contains(second, message, StringComparison.Ordinal);
        Assert.StartsWith("agent 1/1 is given twice", Refusal(Write("d", AgentRuns.Agent(1, 1, Latencies)), Write("d", AgentRuns.Agent(1, 1, Latencies))), StringComparison.Ordinal);
    }

    [Fact]
    public void Agents_of_different_counts_are_refused()
    {
        var message = Refusal(Write("a", AgentRuns.Agent(1, 2, Latencies)), Write("b", AgentRuns.Agent(2, 3, Latencies)));

        Assert.Contains("is agent 1/2 but", message, StringComparison.Ordinal);
        Assert.Contains("is agent 2/3: merge the agents of one run", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Agents_of_different_scenarios_are_refused_naming_them()
    {
        var other = AgentRuns.Agent(2, 2, Latencies) with { Scenario = AgentRuns.Scenario with { Name = "other" } };
        var changed = AgentRuns.Agent(2, 2, Latencies) with { Scenario = AgentRuns.Scenario with { Phases = [new ConstantConcurrencyPhase(5, TimeSpan.FromSeconds(3))] } };
        var one = Write("a", AgentRuns.Agent(1, 2, Latencies));

        Assert.Contains("ran another scenario ('other', not 'agents') than agent 1/2", Refusal(one, Write("b", other)), StringComparison.Ordinal);
        Assert.Contains("ran another scenario than agent 1/2", Refusal(one, Write("c", changed)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_that_was_not_an_agent_is_refused()
    {
        var whole = Write("whole", TestRuns.Read("unary-closed"));

        var message = Refusal(Write("a", AgentRuns.Agent(1, 2, Latencies)), whole);

        Assert.Equal($"{Path.Combine(whole, ResultJson.FileName)} is not an agent's result (it has no agent): merge the results of loadgen run --agent K/N", message);
    }

    [Fact]
    public void A_file_that_is_not_a_result_and_a_path_that_is_not_there_are_refused()
    {
        var notResult = Path.Combine(_folder, "notes.json");
        File.WriteAllText(notResult, "{\"hello\": 1}");
        var missing = Path.Combine(_folder, "nowhere");

        Assert.StartsWith(notResult, Refusal(notResult), StringComparison.Ordinal);
        Assert.Equal($"{missing} does not exist: give run folders of loadgen run --agent K/N, or their result.json", Refusal(missing));
        Assert.StartsWith(Path.Combine(_folder, "empty", ResultJson.FileName) + " does not exist", Refusal(Directory.CreateDirectory(Path.Combine(_folder, "empty")).FullName), StringComparison.Ordinal);
    }

    [Fact]
    public void An_agent_without_its_seconds_histograms_is_refused_rather_than_merged_inexactly()
    {
        var agent = AgentRuns.Agent(1, 1, Latencies);
        var old = agent with { Timeline = [.. agent.Timeline.Select(s => s with { Histogram = null })] };

        Assert.Contains("keeps no latency histogram for each second", Refusal(Write("a", old)), StringComparison.Ordinal);
    }

    [Fact]
    public void An_agent_whose_second_histogram_is_damaged_is_refused_naming_the_place()
    {
        var agent = AgentRuns.Agent(1, 1, Latencies);
        var damaged = agent with { Timeline = [agent.Timeline[0], agent.Timeline[1] with { Histogram = "SElTVEZ" }, agent.Timeline[2]] };

        Assert.Contains("is damaged: timeline[1].histogram is not", Refusal(Write("a", damaged)), StringComparison.Ordinal);
    }

    private string Write(string name, RunResult run)
    {
        var folder = Path.Combine(_folder, name);
        Directory.CreateDirectory(folder);
        WholeFile.WriteJson(Path.Combine(folder, ResultJson.FileName), run, ResultJson.Options);
        return folder;
    }

    private static string Refusal(params string[] paths)
    {
        var refusal = Assert.Throws<MergeException>(() => AgentResults.Read(paths));
        Assert.DoesNotContain('\n', refusal.Message);
        return refusal.Message;
    }
}

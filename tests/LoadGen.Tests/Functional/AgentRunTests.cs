using GrpcLoadLab.LoadGen.Merging;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Runner;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Terminal;

namespace GrpcLoadLab.LoadGen.Tests.Functional;

/// <summary>Agents' runs (<c>--agent K/N</c>, <c>--start-at</c>) against a real server: each runs its share, and the shares are the whole.</summary>
public sealed class AgentRunTests : IDisposable
{
    private readonly string _reports = Directory.CreateTempSubdirectory("loadgen-agents-").FullName;

    public void Dispose() => Directory.Delete(_reports, recursive: true);

    [Fact]
    public async Task Three_agents_run_their_shares_of_every_phase_and_merge_into_the_whole()
    {
        await using var server = await InProcessFleet.StartAsync();
        var scenario = Scenario(server) with
        {
            Phases = [new ConstantRatePhase(100, TimeSpan.FromSeconds(1)), new PoissonPhase(50, TimeSpan.FromSeconds(1)), new IterationsPhase(3, 31)],
        };
        Assert.Null(new AgentShare(3, 3).Problem(scenario));
        var whole = new Random(scenario.Seed);
        var scheduled = scenario.Phases.OfType<OpenPhase>().Select(p => p.Arrivals(whole).Count()).ToList();

        var agents = new List<(string, RunResult)>();
        for (var index = 1; index <= 3; index++)
        {
            var outcome = await RunAsync(scenario, new AgentPlan(new AgentShare(index, 3), null, TextWriter.Null));
            var result = ResultJson.Read(outcome.ResultPath);
            Assert.Equal(new AgentInfo(index, 3, Environment.MachineName, result.Agent!.Clock), result.Agent);
            Assert.Null(result.Agent.Clock.StartAt);
            Assert.Empty(result.Verdict.Thresholds);
            Assert.All(result.Timeline, second => Assert.NotNull(second.Histogram));
            Assert.Equal(new AgentShare(index, 3).Of(31), result.Phases[2].Stats.Calls.Started);
            agents.Add((outcome.ResultPath, result));
        }

        // Each open phase's calls, all agents together, are its whole schedule; the iterations, all of them.
        for (var phase = 0; phase < 2; phase++)
        {
            Assert.Equal(scheduled[phase], agents.Sum(a => a.Item2.Phases[phase].Stats.Calls.Started + a.Item2.Phases[phase].Stats.Calls.Dropped));
        }

        var merged = RunMerger.Merge(AgentResults.Read([.. agents.Select(a => a.Item1)]));
        Assert.Equal(scheduled.Sum() + 31, merged.Totals.Calls.Started + merged.Totals.Calls.Dropped);
        Assert.Equal(["errors < 1%"], merged.Verdict.Thresholds.Select(t => t.Threshold));
        Assert.Equal(3, merged.Agents!.Count);
    }

    [Fact]
    public async Task An_agent_waits_for_its_start_instant_and_never_starts_before_it()
    {
        await using var server = await InProcessFleet.StartAsync();
        var log = new StringWriter();
        var startAt = DateTimeOffset.UtcNow.AddSeconds(2);

        var outcome = await RunAsync(Scenario(server), new AgentPlan(new AgentShare(1, 2), startAt, log));

        var clock = outcome.Result.Agent!.Clock;
        Assert.Contains("loadgen: agent 1/2 is ready; its load starts at ", log.ToString(), StringComparison.Ordinal);
        Assert.Equal(startAt, clock.StartAt);
        // Unless the machine was too busy to be ready in 2 s, it waited: it started at the instant, never before it.
        Assert.True(clock.Late || clock.StartedAt >= startAt.AddMilliseconds(-5), $"started {clock.StartedAt:O}, asked {startAt:O}");
        Assert.Equal(Math.Round((clock.StartedAt - startAt).TotalMilliseconds, 3), clock.OffsetMillis);
    }

    [Fact]
    public async Task An_agent_ready_after_its_start_instant_starts_at_once_and_says_how_late()
    {
        await using var server = await InProcessFleet.StartAsync();
        var log = new StringWriter();
        var startAt = DateTimeOffset.UtcNow.AddMinutes(-1);

        var outcome = await RunAsync(Scenario(server), new AgentPlan(new AgentShare(2, 2), startAt, log));

        var clock = outcome.Result.Agent!.Clock;
        Assert.True(clock.Late);
        Assert.True(clock.OffsetMillis >= 60_000, $"offset {clock.OffsetMillis} ms");
        Assert.Matches(@"^loadgen: agent 2/2 was ready [0-9.]+ s after --start-at \S+Z: it starts at once, late\r?\n$", log.ToString());
    }

    [Fact]
    public async Task Only_agent_1_carries_out_the_scenarios_faults()
    {
        await using var server = await InProcessFleet.StartAsync();
        // The server refuses faults: agent 1's try is recorded, failed; agent 2 makes none.
        var scenario = Scenario(server) with { Faults = [new SlowFault(TimeSpan.FromSeconds(0.2), 1, TimeSpan.FromMilliseconds(5))] };

        var first = await RunAsync(scenario, new AgentPlan(new AgentShare(1, 2), null, TextWriter.Null));
        var second = await RunAsync(scenario, new AgentPlan(new AgentShare(2, 2), null, TextWriter.Null));

        Assert.Single(first.Result.Faults);
        Assert.Empty(second.Result.Faults);
    }

    private Scenario Scenario(InProcessFleet server) => new()
    {
        Name = "agents",
        Target = new TargetSpec { Address = TargetAddress.Parse(server.StaticTarget) },
        Call = new CallSpec(),
        Phases = [new ConstantConcurrencyPhase(4, TimeSpan.FromSeconds(1))],
        Thresholds = ["errors < 1%"],
        Report = new ReportSpec { Directory = _reports },
    };

    private static Task<RunOutcome> RunAsync(Scenario scenario, AgentPlan agent) =>
        new LoadRun(scenario, ProgressDisplay.Create(TextWriter.Null, isTerminal: false), agent: agent).ExecuteAsync(CancellationToken.None);
}

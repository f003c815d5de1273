using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Tests.Scenarios;

/// <summary>
/// The split of one scenario's load among N agents (<c>--agent K/N</c>): for every phase type, the agents' parts add up
/// to the whole exactly — shares of callers and calls, and, for every open-model phase, the union of the agents'
/// schedules is the whole schedule, arrival for arrival.
/// </summary>
public class AgentShareTests
{
    private static readonly int[] AgentCounts = [1, 2, 3, 5, 7];

    /// <summary>One instance of every open-model phase type, with odd numbers so that nothing divides evenly.</summary>
    private static readonly IReadOnlyList<OpenPhase> OpenPhases =
    [
        new ConstantRatePhase(97.3, TimeSpan.FromSeconds(3.7)),
        new RampRatePhase(0, 211, TimeSpan.FromSeconds(4.3)),
        new RampRatePhase(150, 31, TimeSpan.FromSeconds(2.9)),
        new RampRatePhase(40, 40, TimeSpan.FromSeconds(1.1)),
        new PoissonPhase(123.4, TimeSpan.FromSeconds(3.3)),
    ];

    /// <summary>One instance of every closed-model phase type.</summary>
    private static readonly IReadOnlyList<ClosedPhase> ClosedPhases =
    [
        new ConstantConcurrencyPhase(23, TimeSpan.FromSeconds(10)),
        new RampConcurrencyPhase(0, 31, TimeSpan.FromSeconds(10)),
        new RampConcurrencyPhase(29, 3, TimeSpan.FromSeconds(10)),
        new IterationsPhase(11, 1_009),
    ];

    [Fact]
    public void Every_phase_type_of_the_scenarios_is_covered_here()
    {
        var types = typeof(LoadPhase).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(LoadPhase)) && !t.IsAbstract).ToList();
        var covered = OpenPhases.Cast<LoadPhase>().Concat(ClosedPhases).Select(p => p.GetType()).Append(typeof(PausePhase)).ToHashSet();

        Assert.NotEmpty(types);
        Assert.All(types, type => Assert.True(covered.Contains(type), $"{type.Name} is a phase type whose split no test proves: add it to {nameof(AgentShareTests)}"));
    }

    [Fact]
    public void Shares_of_any_total_add_up_and_differ_by_at_most_one()
    {
        foreach (var count in AgentCounts.Append(1_000))
        {
            foreach (var total in new long[] { 0, 1, 2, 3, 7, 10, 99, 1_000, 1_000_000_000_007 })
            {
                var shares = Agents(count).Select(agent => agent.Of(total)).ToList();

                Assert.Equal(total, shares.Sum());
                Assert.True(shares.Max() - shares.Min() <= 1, $"{total} over {count}: {string.Join(", ", shares)}");
            }
        }
    }

    [Fact]
    public void The_agents_schedules_of_every_open_phase_type_are_the_whole_schedule_together()
    {
        foreach (var phase in OpenPhases)
        {
            var whole = phase.Arrivals(new Random(42)).ToList();
            Assert.NotEmpty(whole);
            foreach (var count in AgentCounts)
            {
                var parts = Agents(count).Select(agent => agent.ArrivalsOf(phase, new Random(42)).ToList()).ToList();

                var union = parts.SelectMany(part => part).Order().ToList();
                Assert.Equal(whole.Order(), union);
                Assert.Equal(whole.Count, parts.Sum(part => part.Count));
                Assert.True(parts.Max(p => p.Count) - parts.Min(p => p.Count) <= 1, $"{phase.DisplayName} over {count}");
            }
        }
    }

    [Fact]
    public void An_agent_draws_the_random_source_as_far_as_the_whole_run_does_so_later_phases_stay_identical()
    {
        var poisson = new PoissonPhase(300, TimeSpan.FromSeconds(2));
        var whole = new Random(7);
        var agent = new Random(7);

        _ = poisson.Arrivals(whole).Count();
        _ = new AgentShare(2, 3).ArrivalsOf(poisson, agent).Count();

        Assert.Equal(whole.NextDouble(), agent.NextDouble());
    }

    [Fact]
    public void The_agents_callers_of_every_closed_phase_type_are_the_whole_callers_once_each()
    {
        foreach (var phase in ClosedPhases)
        {
            foreach (var count in AgentCounts)
            {
                var parts = Agents(count).Select(agent => agent.CallersOf(phase).ToList()).ToList();

                Assert.Equal(Enumerable.Range(0, phase.Callers), parts.SelectMany(p => p).Order());
                Assert.Equal(phase.CallLimit, Agents(count).Select(agent => agent.CallLimitOf(phase)).Aggregate((long?)0, (sum, limit) => sum + limit));
            }
        }
    }

    [Fact]
    public void At_every_instant_of_a_ramp_the_agents_active_callers_are_the_whole_ones()
    {
        foreach (var phase in ClosedPhases.OfType<RampConcurrencyPhase>())
        {
            foreach (var count in AgentCounts)
            {
                for (var tenth = 0; tenth <= 100; tenth++)
                {
                    var at = phase.Duration * (tenth / 100.0);
                    // A caller calls while the whole's target is above its number (ClosedLoop).
                    var active = (int)Math.Round(phase.TargetAt(at));
                    var agents = Agents(count).ToList();
                    var activeOfAgents = agents.SelectMany(agent => agent.CallersOf(phase).Where(caller => caller < active)).Order();

                    Assert.Equal(Enumerable.Range(0, active), activeOfAgents);
                    // The timeline's target: the agents' callers add up to the whole's (one agent shows the ramp itself).
                    Assert.Equal(count == 1 ? phase.TargetAt(at) : active, agents.Sum(agent => agent.TargetOf(phase, at)));
                }
            }
        }
    }

    [Fact]
    public void The_agents_targets_of_an_open_phase_add_up_to_its_rate()
    {
        var ramp = new RampRatePhase(10, 500, TimeSpan.FromSeconds(10));
        foreach (var count in AgentCounts)
        {
            var at = TimeSpan.FromSeconds(3.3);

            Assert.Equal(ramp.TargetAt(at), Agents(count).Sum(agent => agent.TargetOf(ramp, at)), precision: 9);
        }
    }

    [Fact]
    public void A_share_that_would_leave_an_agent_without_load_is_refused_naming_the_phase()
    {
        var scenario = new Scenario
        {
            Name = "small",
            Phases = [new ConstantRatePhase(100, TimeSpan.FromSeconds(5)), new ConstantConcurrencyPhase(2, TimeSpan.FromSeconds(5))],
        };

        Assert.Null(new AgentShare(2, 2).Problem(scenario));
        var problem = new AgentShare(1, 3).Problem(scenario);

        Assert.NotNull(problem);
        Assert.Contains("'2 concurrent for 5s' has 2 callers, fewer than the 3 agents", problem, StringComparison.Ordinal);
        Assert.Contains("scheduled calls", new AgentShare(1, 3).Problem(scenario with { Phases = [new ConstantRatePhase(1, TimeSpan.FromSeconds(2))] }), StringComparison.Ordinal);
        Assert.Contains("has 2 calls, fewer", new AgentShare(1, 3).Problem(scenario with { Phases = [new IterationsPhase(5, 2)] }), StringComparison.Ordinal);
        Assert.Contains("has 2 callers, fewer", new AgentShare(1, 3).Problem(scenario with { Phases = [new IterationsPhase(2, 100)] }), StringComparison.Ordinal);
        Assert.Contains("maxOutstanding", new AgentShare(1, 3).Problem(scenario with { MaxOutstanding = 2 }), StringComparison.Ordinal);
        Assert.Null(AgentShare.Whole.Problem(scenario with { Phases = [new IterationsPhase(1, 1)] }));
    }

    [Theory]
    [InlineData("2/3", 2, 3)]
    [InlineData("1/1", 1, 1)]
    [InlineData("1000/1000", 1000, 1000)]
    public void K_of_N_is_read(string text, int index, int count)
    {
        Assert.True(AgentShare.TryParse(text, out var share, out var problem), problem);
        Assert.Equal((index, count), (share!.Index, share.Count));
        Assert.Equal(text, share.Text);
    }

    [Theory]
    [InlineData("2", "is not K/N")]
    [InlineData("a/3", "is not K/N")]
    [InlineData("2/3/4", "is not K/N")]
    [InlineData("-1/3", "is not K/N")]
    [InlineData("0/3", "must be from 1 to 3")]
    [InlineData("4/3", "must be from 1 to 3")]
    [InlineData("1/0", "from 1 to 1000 agents")]
    [InlineData("1/1001", "from 1 to 1000 agents")]
    [InlineData("1/99999999999999999999", "is not K/N")]
    public void A_bad_agent_is_refused_saying_what_is_wrong(string text, string expected)
    {
        Assert.False(AgentShare.TryParse(text, out var share, out var problem));
        Assert.Null(share);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    private static IEnumerable<AgentShare> Agents(int count) => Enumerable.Range(1, count).Select(index => new AgentShare(index, count));
}

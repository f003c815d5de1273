using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Tests.Reports;

/// <summary>A command-line override that no phase of the scenario takes is refused in one line naming its flag, never ignored.</summary>
public class OverrideRefusalTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private static Scenario With(params LoadPhase[] phases) => new() { Name = "s", Phases = phases };

    public static TheoryData<ScenarioOverrides, LoadPhase[], string> Refused => new()
    {
        { new ScenarioOverrides(Rate: 500), [new ConstantConcurrencyPhase(8, Second)], "--rate: the scenario s has no open-model phase" },
        { new ScenarioOverrides(Rate: 500), [new IterationsPhase(4, 100), new RampConcurrencyPhase(1, 8, Second)], "--rate:" },
        { new ScenarioOverrides(Concurrency: 32), [new ConstantRatePhase(100, Second), new PoissonPhase(100, Second)], "--concurrency: the scenario s has no closed-model phase" },
        { new ScenarioOverrides(Concurrency: 32), [new RampRatePhase(10, 100, Second), new PausePhase(Second)], "--concurrency:" },
        { new ScenarioOverrides(Duration: Second * 5), [new ConstantRatePhase(100, Second) { Warmup = true }, new IterationsPhase(4, 100), new PausePhase(Second)], "--duration: the scenario s has no measured phase with a duration" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void An_override_that_matches_no_phase_is_refused_in_one_line(ScenarioOverrides overrides, LoadPhase[] phases, string message)
    {
        var e = Assert.Throws<ScenarioException>(() => overrides.ApplyTo(With(phases)));

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void An_override_that_matches_one_phase_of_a_mixed_scenario_applies_to_it()
    {
        var scenario = With(new ConstantConcurrencyPhase(8, Second) { Warmup = true }, new ConstantRatePhase(100, Second));

        var result = new ScenarioOverrides(Concurrency: 4, Rate: 200, Duration: Second * 3).ApplyTo(scenario);

        Assert.Equal([new ConstantConcurrencyPhase(4, Second) { Warmup = true }, new ConstantRatePhase(200, Second * 3)], result.Phases);
    }
}

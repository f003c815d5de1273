using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Tests.Scenarios;

/// <summary>What each phase type says about itself: its JSON type, names, load at an instant and the flags it takes.</summary>
public class PhaseTests
{
    private static readonly TimeSpan TenSeconds = TimeSpan.FromSeconds(10);

    public static TheoryData<LoadPhase, string, string, string> Phases => new()
    {
        { new ConstantConcurrencyPhase(64, TenSeconds), "constant-concurrency", "64 concurrent for 10s", "64 concurrent" },
        { new RampConcurrencyPhase(0, 32, TenSeconds), "ramp-concurrency", "0→32 concurrent over 10s", "0→32 concurrent" },
        { new IterationsPhase(4, 1000), "iterations", "1000 calls by 4 callers", "4 concurrent, 1000 calls" },
        { new ConstantRatePhase(500, TenSeconds), "constant-rate", "500/s for 10s", "500/s" },
        { new RampRatePhase(100, 250.5, TenSeconds), "ramp-rate", "100→250.5/s over 10s", "100→250.5/s" },
        { new PoissonPhase(12.25, TenSeconds), "poisson", "Poisson 12.25/s for 10s", "Poisson 12.25/s" },
        { new PausePhase(TimeSpan.FromSeconds(2.5)), "pause", "pause 2.5s", "pause" },
    };

    [Theory]
    [MemberData(nameof(Phases))]
    public void A_phase_names_its_type_its_default_name_and_its_load(LoadPhase phase, string type, string name, string load)
    {
        Assert.Equal(type, ScenarioJson.PhaseTypeOf(phase));
        Assert.Equal(name, phase.DisplayName);
        Assert.Equal("steady", (phase with { Name = "steady" }).DisplayName);
        Assert.Equal(load, phase.Load);
    }

    [Fact]
    public void Every_type_the_scenario_file_knows_is_a_phase_with_its_own_behaviour() =>
        Assert.Equal(ScenarioJson.PhaseTypes, Phases.Select(row => (string)row[1]));

    [Fact]
    public void A_ramp_asks_for_the_load_on_its_line_and_holds_its_ends_outside_it()
    {
        var ramp = new RampConcurrencyPhase(10, 30, TenSeconds);

        Assert.Equal(10, ramp.TargetAt(TimeSpan.Zero));
        Assert.Equal(15, ramp.TargetAt(TimeSpan.FromSeconds(2.5)));
        Assert.Equal(30, ramp.TargetAt(TimeSpan.FromSeconds(11)));
        Assert.Equal(30, ramp.Callers);
        Assert.Equal(250, new RampRatePhase(300, 200, TenSeconds).TargetAt(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, new PausePhase(TenSeconds).TargetAt(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Only_an_iterations_phase_limits_its_calls_and_only_a_pause_makes_none()
    {
        Assert.Equal(1000, new IterationsPhase(4, 1000).CallLimit);
        Assert.Null(new ConstantConcurrencyPhase(4, TenSeconds).CallLimit);
        Assert.False(new PausePhase(TenSeconds).MakesCalls);
        Assert.True(new PoissonPhase(5, TenSeconds).MakesCalls);
    }

    [Fact]
    public void A_flag_sets_the_phases_of_its_model_and_a_ramp_at_its_end()
    {
        Assert.Equal(new RampConcurrencyPhase(0, 8, TenSeconds), new RampConcurrencyPhase(0, 32, TenSeconds).WithConcurrency(8));
        Assert.Equal(new IterationsPhase(8, 1000), new IterationsPhase(4, 1000).WithConcurrency(8));
        Assert.Null(new ConstantRatePhase(500, TenSeconds).WithConcurrency(8));
        Assert.Equal(new RampRatePhase(100, 50, TenSeconds), new RampRatePhase(100, 250, TenSeconds).WithRate(50));
        Assert.Null(new ConstantConcurrencyPhase(4, TenSeconds).WithRate(50));
        Assert.Equal(new PoissonPhase(5, TimeSpan.FromSeconds(3)), new PoissonPhase(5, TenSeconds).WithDuration(TimeSpan.FromSeconds(3)));
        Assert.Null(new IterationsPhase(4, 1000).WithDuration(TimeSpan.FromSeconds(3)));
        Assert.Null(new PausePhase(TenSeconds).WithDuration(TimeSpan.FromSeconds(3)));
    }
}

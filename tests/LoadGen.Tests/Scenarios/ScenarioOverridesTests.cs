using GrpcLoadLab.Balancer;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Tests.Scenarios;

public class ScenarioOverridesTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private static readonly Scenario Every = new()
    {
        Name = "every",
        Phases =
        [
            new ConstantConcurrencyPhase(2, Second) { Warmup = true },
            new ConstantConcurrencyPhase(4, Second),
            new RampConcurrencyPhase(1, 8, Second),
            new IterationsPhase(3, 100),
            new ConstantRatePhase(10, Second) { Warmup = true },
            new ConstantRatePhase(20, Second),
            new RampRatePhase(5, 50, Second),
            new PoissonPhase(30, Second),
            new PausePhase(Second),
        ],
    };

    [Fact]
    public void No_overrides_change_nothing()
    {
        var result = new ScenarioOverrides().ApplyTo(Every);

        Assert.Equal(Every.Phases, result.Phases);
        Assert.Equal(Every.Target, result.Target);
        Assert.Equal(Every.Name, result.Name);
    }

    [Fact]
    public void Concurrency_sets_every_closed_phase_and_the_end_of_its_ramps()
    {
        var result = new ScenarioOverrides(Concurrency: 32).ApplyTo(Every);

        Assert.Equal(
            [
                new ConstantConcurrencyPhase(32, Second) { Warmup = true },
                new ConstantConcurrencyPhase(32, Second),
                new RampConcurrencyPhase(1, 32, Second),
                new IterationsPhase(32, 100),
                .. Every.Phases.Skip(4),
            ],
            result.Phases);
    }

    [Fact]
    public void Rate_sets_every_open_phase_and_the_end_of_its_ramps()
    {
        var result = new ScenarioOverrides(Rate: 250.5).ApplyTo(Every);

        Assert.Equal(
            [
                .. Every.Phases.Take(4),
                new ConstantRatePhase(250.5, Second) { Warmup = true },
                new ConstantRatePhase(250.5, Second),
                new RampRatePhase(5, 250.5, Second),
                new PoissonPhase(250.5, Second),
                new PausePhase(Second),
            ],
            result.Phases);
    }

    [Fact]
    public void Duration_sets_every_measured_timed_phase_but_not_warm_ups_pauses_or_iterations()
    {
        var minute = TimeSpan.FromMinutes(1);

        var result = new ScenarioOverrides(Duration: minute).ApplyTo(Every);

        Assert.Equal(
            [
                new ConstantConcurrencyPhase(2, Second) { Warmup = true },
                new ConstantConcurrencyPhase(4, minute),
                new RampConcurrencyPhase(1, 8, minute),
                new IterationsPhase(3, 100),
                new ConstantRatePhase(10, Second) { Warmup = true },
                new ConstantRatePhase(20, minute),
                new RampRatePhase(5, 50, minute),
                new PoissonPhase(30, minute),
                new PausePhase(Second),
            ],
            result.Phases);
    }

    [Fact]
    public void Target_policy_and_name_replace_the_scenarios()
    {
        var scenario = Every with { Target = new TargetSpec { Retry = RetryMode.Retry } };

        var result = new ScenarioOverrides(Target: "static:127.0.0.1:7001", Policy: BalancingPolicy.PickFirst, Name: "baseline-1").ApplyTo(scenario);

        Assert.Equal(new TargetSpec { Address = TargetAddress.Parse("static:127.0.0.1:7001"), Policy = BalancingPolicy.PickFirst, Retry = RetryMode.Retry }, result.Target);
        Assert.Equal("baseline-1", result.Name);
    }

    [Fact]
    public void A_target_file_given_on_the_command_line_is_left_for_the_run_to_open()
    {
        var result = new ScenarioOverrides(Target: "file:/not/yet/servers.txt").ApplyTo(Every);

        Assert.Equal("file:/not/yet/servers.txt", result.Target.Address.Text);
    }

    public static TheoryData<ScenarioOverrides, string> BadOverrides => new()
    {
        { new ScenarioOverrides(Concurrency: 0), "--concurrency: must be from 1 to 100000 calls in flight (e.g. 16)" },
        { new ScenarioOverrides(Concurrency: -3), "--concurrency: must be from 1 to 100000 calls in flight (e.g. 16)" },
        { new ScenarioOverrides(Rate: 0), "--rate: must be more than 0 and at most 1000000 calls a second (e.g. 100)" },
        { new ScenarioOverrides(Rate: -1), "--rate: must be more than 0 and at most 1000000 calls a second (e.g. 100)" },
        { new ScenarioOverrides(Duration: TimeSpan.Zero), "--duration: must be more than 0 and at most 24h (e.g. 10s)" },
        { new ScenarioOverrides(Target: "localhost:5001"), "--target: target 'localhost:5001' is not one of file:PATH, static:HOST:PORT[,HOST:PORT...] or dns:HOST:PORT" },
        { new ScenarioOverrides(Name: "a b"), "--name: 'a b' must be at most 100 letters, digits, '-', '_' or '.' (it names the results folder) — e.g. \"unary-closed\"" },
        { new ScenarioOverrides(Name: ""), "--name: must not be empty — e.g. \"unary-closed\"" },
    };

    [Theory]
    [MemberData(nameof(BadOverrides))]
    public void A_bad_override_is_one_line_naming_its_flag(ScenarioOverrides overrides, string message)
    {
        var error = Assert.Throws<ScenarioException>(() => overrides.ApplyTo(Every));

        Assert.Equal(message, error.Message);
        Assert.Null(error.Path);
    }

    [Fact]
    public void The_result_is_validated_like_a_loaded_scenario()
    {
        var onlyWarmUp = Every with { Phases = [new ConstantRatePhase(10, Second) { Warmup = true }] };

        var error = Assert.Throws<ScenarioException>(() => new ScenarioOverrides(Rate: 20).ApplyTo(onlyWarmUp));

        Assert.Equal("$.phases", error.Path);
        Assert.Contains("has nothing to measure", error.Problem, StringComparison.Ordinal);
    }
}

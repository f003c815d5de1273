using GrpcLoadLab.Balancer;

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// What the command line changes in a scenario (<c>--concurrency</c>, <c>--rate</c>, <c>--duration</c>, <c>--target</c>,
/// <c>--policy</c>, <c>--name</c>); null leaves the scenario's own value.
/// </summary>
public sealed record ScenarioOverrides(
    int? Concurrency = null,
    double? Rate = null,
    TimeSpan? Duration = null,
    string? Target = null,
    BalancingPolicy? Policy = null,
    string? Name = null)
{
    /// <summary>
    /// The scenario with the overrides applied, validated like a loaded one. <c>--concurrency</c> and <c>--rate</c> set
    /// the level of every phase of their model (the end of a ramp); <c>--duration</c> the length of every timed phase
    /// that is measured. A bad value is thrown as a <see cref="ScenarioException"/> naming its flag.
    /// </summary>
    public Scenario ApplyTo(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        Check("--concurrency", Concurrency is { } concurrency ? ScenarioRules.Concurrency(concurrency) : null);
        Check("--rate", Rate is { } rate ? ScenarioRules.Rate(rate) : null);
        Check("--duration", Duration is { } duration ? ScenarioRules.Duration(duration) : null);
        // The run opens the target, so a registry file need not exist yet.
        Check("--target", Target is { } target ? ScenarioRules.Target(target, checkFile: false) : null);
        Check("--name", Name is { } name ? ScenarioRules.Name(name) : null);

        var result = scenario with
        {
            Name = Name ?? scenario.Name,
            Target = scenario.Target with
            {
                Address = Target ?? scenario.Target.Address,
                Policy = Policy ?? scenario.Target.Policy,
            },
            Phases = [.. scenario.Phases.Select(WithDuration).Select(WithLevel)],
        };
        ScenarioValidator.Validate(result, "scenario with command-line overrides", checkTargetFile: false);
        return result;
    }

    private static void Check(string flag, string? problem)
    {
        if (problem is not null)
        {
            throw new ScenarioException(flag, null, problem);
        }
    }

    private LoadPhase WithLevel(LoadPhase phase) => phase switch
    {
        ConstantConcurrencyPhase p when Concurrency is { } c => p with { Concurrency = c },
        IterationsPhase p when Concurrency is { } c => p with { Concurrency = c },
        RampConcurrencyPhase p when Concurrency is { } c => p with { To = c },
        ConstantRatePhase p when Rate is { } r => p with { Rate = r },
        PoissonPhase p when Rate is { } r => p with { Rate = r },
        RampRatePhase p when Rate is { } r => p with { To = r },
        _ => phase,
    };

    // Warm-ups and pauses keep their length: --duration is about how long the load is measured.
    private LoadPhase WithDuration(LoadPhase phase) => Duration is not { } d || phase.Warmup ? phase : phase switch
    {
        ConstantConcurrencyPhase p => p with { Duration = d },
        RampConcurrencyPhase p => p with { Duration = d },
        ConstantRatePhase p => p with { Duration = d },
        RampRatePhase p => p with { Duration = d },
        PoissonPhase p => p with { Duration = d },
        _ => phase,
    };
}

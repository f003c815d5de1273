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
    /// that is measured. A bad value, or a flag that no phase of the scenario takes (<c>--rate</c> on a closed-model
    /// scenario), is thrown as a <see cref="ScenarioException"/> naming its flag: a flag is never silently ignored.
    /// </summary>
    public Scenario ApplyTo(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        Check("--concurrency", Concurrency is { } concurrency ? ScenarioRules.Concurrency(concurrency) : null);
        Check("--rate", Rate is { } rate ? ScenarioRules.Rate(rate) : null);
        Check("--duration", Duration is { } duration ? ScenarioRules.Duration(duration) : null);
        var address = Target is { } target ? ParseTarget(target) : null;
        Check("--name", Name is { } name ? ScenarioRules.Name(name) : null);
        CheckMatches(scenario, "--concurrency", Concurrency is null ? null : WithConcurrency, "no closed-model phase (constant-concurrency, ramp-concurrency, iterations) whose concurrency it could set: its phases are open-model, so give --rate instead");
        CheckMatches(scenario, "--rate", Rate is null ? null : WithRate, "no open-model phase (constant-rate, ramp-rate, poisson) whose rate it could set: its phases are closed-model, so give --concurrency instead");
        CheckMatches(scenario, "--duration", Duration is null ? null : WithDuration, "no measured phase with a duration (warm-ups and pauses keep theirs, an iterations phase ends after its calls): drop --duration");

        var result = scenario with
        {
            Name = Name ?? scenario.Name,
            Target = scenario.Target with
            {
                Address = address ?? scenario.Target.Address,
                Policy = Policy ?? scenario.Target.Policy,
            },
            Phases = [.. scenario.Phases.Select(p => WithDuration(p) ?? p).Select(p => WithConcurrency(p) ?? p).Select(p => WithRate(p) ?? p)],
        };
        ScenarioValidator.Validate(result, "scenario with command-line overrides");
        return result;
    }

    /// <summary>The run opens the target: a registry named here need not exist yet.</summary>
    private static TargetAddress ParseTarget(string target) =>
        TargetAddress.TryParse(target, out var address, out var problem) ? address : throw new ScenarioException("--target", null, problem);

    private static void Check(string flag, string? problem)
    {
        if (problem is not null)
        {
            throw new ScenarioException(flag, null, problem);
        }
    }

    /// <summary>A flag given must set something: <paramref name="set"/> (null when the flag was not given) must take at least one phase.</summary>
    private static void CheckMatches(Scenario scenario, string flag, Func<LoadPhase, LoadPhase?>? set, string problem)
    {
        if (set is not null && !scenario.Phases.Any(phase => set(phase) is not null))
        {
            throw new ScenarioException(flag, null, $"the scenario {scenario.Name} has {problem}");
        }
    }

    // Each returns the phase changed by its flag, or null when the flag is not given or does not apply to the phase.
    private LoadPhase? WithConcurrency(LoadPhase phase) => Concurrency is { } c ? phase.WithConcurrency(c) : null;

    private LoadPhase? WithRate(LoadPhase phase) => Rate is { } r ? phase.WithRate(r) : null;

    // Warm-ups keep their length: --duration is about how long the load is measured.
    private LoadPhase? WithDuration(LoadPhase phase) => Duration is { } d && !phase.Warmup ? phase.WithDuration(d) : null;
}

using System.Text.Json.Serialization;

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// One step of the load, chosen by its <c>type</c>. Each type carries its own behaviour — the load it asks for at an
/// instant, its description, its checks and what the command line may change in it — as ghz's pacers do, so that the
/// engine, the validator and the overrides need no switch over the types. Closed-model phases
/// (<see cref="ClosedPhase"/>) fix how many calls are in flight; open-model phases (<see cref="OpenPhase"/>) fix when
/// calls start, whatever the servers do (no coordinated omission).
/// </summary>
/// <remarks>The list below is the one place the JSON type names are written (see <see cref="ScenarioJson.PhaseTypeOf"/>).</remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(ConstantConcurrencyPhase), "constant-concurrency")]
[JsonDerivedType(typeof(RampConcurrencyPhase), "ramp-concurrency")]
[JsonDerivedType(typeof(IterationsPhase), "iterations")]
[JsonDerivedType(typeof(ConstantRatePhase), "constant-rate")]
[JsonDerivedType(typeof(RampRatePhase), "ramp-rate")]
[JsonDerivedType(typeof(PoissonPhase), "poisson")]
[JsonDerivedType(typeof(PausePhase), "pause")]
public abstract record LoadPhase
{
    /// <summary>Shown in the live view and the report. Default: the type and its numbers.</summary>
    public string? Name { get; init; }

    /// <summary>Excluded from the statistics: lets connections open and the JIT warm up. Default: false.</summary>
    public bool Warmup { get; init; }

    /// <summary>The phase's length; for <see cref="IterationsPhase"/>, the longest it may run.</summary>
    public abstract TimeSpan PlannedDuration { get; }

    /// <summary>The phase's name, or a description made from its type and numbers.</summary>
    public string DisplayName => Name ?? DefaultName;

    /// <summary>What the phase holds, in words, for the charts' load overlay: "64 concurrent", "500/s".</summary>
    public abstract string Load { get; }

    /// <summary>The highest concurrency or rate the phase asks for (a ramp's higher end); null when it asks for none.</summary>
    public virtual double? HighestLoad => null;

    /// <summary>False for a phase that starts no call (a pause): it has nothing to measure.</summary>
    public virtual bool MakesCalls => true;

    /// <summary>The name a phase without one is shown by: its load and its length.</summary>
    protected abstract string DefaultName { get; }

    /// <summary>The concurrency (closed model) or rate (open model) the phase asks for, <paramref name="elapsed"/> into it.</summary>
    public abstract double TargetAt(TimeSpan elapsed);

    /// <summary>The phase with <c>--concurrency</c> applied (a ramp's end); null when the flag does not apply to it.</summary>
    public virtual LoadPhase? WithConcurrency(int concurrency) => null;

    /// <summary>The phase with <c>--rate</c> applied (a ramp's end); null when the flag does not apply to it.</summary>
    public virtual LoadPhase? WithRate(double rate) => null;

    /// <summary>The phase with <c>--duration</c> applied; null for a phase whose length is not a duration of load.</summary>
    public virtual LoadPhase? WithDuration(TimeSpan duration) => null;

    /// <summary>Each of the phase's own values (by its model property) with what is wrong with it, or null; in the file's order.</summary>
    internal abstract IEnumerable<(string Member, string? Problem)> Problems();

    /// <summary>How far into its planned length the phase is, 0 to 1 (a ramp's position).</summary>
    protected double Progress(TimeSpan elapsed) =>
        PlannedDuration > TimeSpan.Zero ? Math.Clamp(elapsed / PlannedDuration, 0, 1) : 1;
}

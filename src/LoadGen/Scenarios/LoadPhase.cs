using System.Text.Json.Serialization;

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// One step of the load, chosen by its <c>type</c>. Closed-model phases fix how many calls are in flight; open-model
/// phases fix when calls start, whatever the servers do (no coordinated omission).
/// </summary>
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
    public abstract string DisplayName { get; }
}

/// <summary>Closed model: <see cref="Concurrency"/> callers, each starting a call as soon as its last one ended.</summary>
public sealed record ConstantConcurrencyPhase(int Concurrency, TimeSpan Duration) : LoadPhase
{
    public override TimeSpan PlannedDuration => Duration;

    public override string DisplayName => Name ?? $"{Concurrency} concurrent for {Duration.TotalSeconds:0.#}s";
}

/// <summary>Closed model: the callers go from <see cref="From"/> to <see cref="To"/> in a straight line.</summary>
public sealed record RampConcurrencyPhase(int From, int To, TimeSpan Duration) : LoadPhase
{
    public override TimeSpan PlannedDuration => Duration;

    public override string DisplayName => Name ?? $"{From}→{To} concurrent over {Duration.TotalSeconds:0.#}s";
}

/// <summary>Closed model: <see cref="Concurrency"/> callers share exactly <see cref="Iterations"/> calls.</summary>
public sealed record IterationsPhase(int Concurrency, long Iterations) : LoadPhase
{
    /// <summary>The longest the phase may run before the remaining calls are given up. Default: 10 min.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    public override TimeSpan PlannedDuration => Timeout;

    public override string DisplayName => Name ?? $"{Iterations} calls by {Concurrency} callers";
}

/// <summary>Open model: <see cref="Rate"/> calls a second, evenly spaced.</summary>
public sealed record ConstantRatePhase(double Rate, TimeSpan Duration) : LoadPhase
{
    public override TimeSpan PlannedDuration => Duration;

    public override string DisplayName => Name ?? $"{Rate:0.##}/s for {Duration.TotalSeconds:0.#}s";
}

/// <summary>Open model: the rate goes from <see cref="From"/> to <see cref="To"/> calls a second in a straight line.</summary>
public sealed record RampRatePhase(double From, double To, TimeSpan Duration) : LoadPhase
{
    public override TimeSpan PlannedDuration => Duration;

    public override string DisplayName => Name ?? $"{From:0.##}→{To:0.##}/s over {Duration.TotalSeconds:0.#}s";
}

/// <summary>Open model: Poisson arrivals (exponential gaps) at a mean of <see cref="Rate"/> calls a second.</summary>
public sealed record PoissonPhase(double Rate, TimeSpan Duration) : LoadPhase
{
    public override TimeSpan PlannedDuration => Duration;

    public override string DisplayName => Name ?? $"Poisson {Rate:0.##}/s for {Duration.TotalSeconds:0.#}s";
}

/// <summary>No new calls for <see cref="Duration"/>; calls in flight finish.</summary>
public sealed record PausePhase(TimeSpan Duration) : LoadPhase
{
    public override TimeSpan PlannedDuration => Duration;

    public override string DisplayName => Name ?? $"pause {Duration.TotalSeconds:0.#}s";
}

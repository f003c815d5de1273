namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>Closed model: <see cref="Concurrency"/> callers share exactly <see cref="Iterations"/> calls.</summary>
public sealed record IterationsPhase(int Concurrency, long Iterations) : ClosedPhase
{
    /// <summary>The longest the phase may run before the remaining calls are given up. Default: 10 min.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    public override TimeSpan PlannedDuration => Timeout;

    public override int Callers => Concurrency;

    public override long? CallLimit => Iterations;

    public override string Load => $"{Concurrency} concurrent, {Iterations} calls";

    protected override string DefaultName => $"{Iterations} calls by {Concurrency} callers";

    public override double TargetAt(TimeSpan elapsed) => Concurrency;

    public override LoadPhase WithConcurrency(int concurrency) => this with { Concurrency = concurrency };

    // No WithDuration: the phase ends after its calls; its timeout is only a bound.
    internal override IEnumerable<(string Member, string? Problem)> Problems() =>
    [
        (nameof(Concurrency), ScenarioRules.Concurrency(Concurrency)),
        (nameof(Iterations), Limits.Iterations.Problem(Iterations)),
        (nameof(Timeout), ScenarioRules.Duration(Timeout)),
    ];
}

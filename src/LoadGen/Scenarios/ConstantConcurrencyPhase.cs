namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>Closed model: <see cref="Concurrency"/> callers, each starting a call as soon as its last one ended.</summary>
public sealed record ConstantConcurrencyPhase(int Concurrency, TimeSpan Duration) : ClosedPhase
{
    public override TimeSpan PlannedDuration => Duration;

    public override int Callers => Concurrency;

    public override string Load => $"{Concurrency} concurrent";

    protected override string DefaultName => $"{Load} for {Duration.TotalSeconds:0.#}s";

    public override double TargetAt(TimeSpan elapsed) => Concurrency;

    public override LoadPhase WithConcurrency(int concurrency) => this with { Concurrency = concurrency };

    public override LoadPhase WithDuration(TimeSpan duration) => this with { Duration = duration };

    internal override IEnumerable<(string Member, string? Problem)> Problems() =>
    [
        (nameof(Concurrency), ScenarioRules.Concurrency(Concurrency)),
        (nameof(Duration), ScenarioRules.Duration(Duration)),
    ];
}

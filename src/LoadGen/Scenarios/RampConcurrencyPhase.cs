namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>Closed model: the callers go from <see cref="From"/> to <see cref="To"/> in a straight line.</summary>
public sealed record RampConcurrencyPhase(int From, int To, TimeSpan Duration) : ClosedPhase
{
    public override TimeSpan PlannedDuration => Duration;

    public override int Callers => Math.Max(From, To);

    public override string Load => $"{From}→{To} concurrent";

    protected override string DefaultName => $"{Load} over {Duration.TotalSeconds:0.#}s";

    public override double TargetAt(TimeSpan elapsed) => From + ((To - From) * Progress(elapsed));

    /// <summary>The ramp's end: where the load is measured at its highest.</summary>
    public override LoadPhase WithConcurrency(int concurrency) => this with { To = concurrency };

    public override LoadPhase WithDuration(TimeSpan duration) => this with { Duration = duration };

    internal override IEnumerable<(string Member, string? Problem)> Problems() =>
    [
        (nameof(From), ScenarioRules.RampStartConcurrency(From)),
        (nameof(To), ScenarioRules.Concurrency(To)),
        (nameof(Duration), ScenarioRules.Duration(Duration)),
    ];
}

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>Open model at one rate for the whole phase: <see cref="Rate"/> calls a second on average.</summary>
/// <remarks>The two steady phases differ only in how they space their calls (<see cref="OpenPhase.Arrivals"/>).</remarks>
public abstract record SteadyRatePhase(double Rate, TimeSpan Duration) : OpenPhase
{
    public override TimeSpan PlannedDuration => Duration;

    public override double? HighestLoad => Rate;

    protected override string DefaultName => $"{Load} for {Duration.TotalSeconds:0.#}s";

    public override double TargetAt(TimeSpan elapsed) => Rate;

    public override LoadPhase WithRate(double rate) => this with { Rate = rate };

    public override LoadPhase WithDuration(TimeSpan duration) => this with { Duration = duration };

    internal override IEnumerable<(string Member, string? Problem)> Problems() =>
    [
        (nameof(Rate), ScenarioRules.Rate(Rate)),
        (nameof(Duration), ScenarioRules.Duration(Duration)),
    ];
}

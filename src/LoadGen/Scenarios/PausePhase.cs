namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>No new calls for <see cref="Duration"/>; calls in flight finish.</summary>
public sealed record PausePhase(TimeSpan Duration) : LoadPhase
{
    public override TimeSpan PlannedDuration => Duration;

    public override bool MakesCalls => false;

    public override string Load => "pause";

    protected override string DefaultName => $"pause {Duration.TotalSeconds:0.#}s";

    public override double TargetAt(TimeSpan elapsed) => 0;

    // No WithDuration: --duration is about how long the load is measured, and a pause measures nothing.
    internal override IEnumerable<(string Member, string? Problem)> Problems() =>
        [(nameof(Duration), ScenarioRules.Duration(Duration))];
}

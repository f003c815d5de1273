using GrpcLoadLab.LoadGen.Scenarios.Json;

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// One experiment, as a scenario file describes it: where the load goes, what each call does, the load phases in
/// order, the pass/fail thresholds and where the results go. Loaded and validated by <see cref="ScenarioLoader"/>.
/// </summary>
[SchemaLinked]
public sealed record Scenario
{
    /// <summary>Names the run: its results folder is <c>reports/TIME-NAME</c>.</summary>
    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary>Default: the fleet's registry, round robin.</summary>
    public TargetSpec Target { get; init; } = new();

    /// <summary>Default: a unary call with empty payloads and no work.</summary>
    public CallSpec Call { get; init; } = new();

    /// <summary>Run in order; warm-up phases are excluded from the statistics.</summary>
    public required IReadOnlyList<LoadPhase> Phases { get; init; }

    /// <summary>Pass/fail rules such as <c>p99 &lt; 50ms</c> or <c>errors &lt; 1%</c>; they decide the exit code.</summary>
    public IReadOnlyList<string> Thresholds { get; init; } = [];

    public ReportSpec Report { get; init; } = new();

    /// <summary>
    /// Open model: calls allowed in flight at once. A call due when this many are in flight is dropped, and counted
    /// as dropped, rather than queued unseen. Default: 10,000.
    /// </summary>
    public int MaxOutstanding { get; init; } = 10_000;

    /// <summary>Seed of the Poisson arrivals, so that a run can be repeated exactly. Default: 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Faults put in on purpose at given times of the run (kill, terminate, restart, slow, fail). Default: none.</summary>
    public IReadOnlyList<FaultEvent> Faults { get; init; } = [];
}

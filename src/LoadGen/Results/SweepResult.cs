using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// What a sweep ran: the sweep as given, and for every cell the run folder holding its <c>result.json</c> (a sibling
/// of the sweep's folder under <c>reports/</c>). The study report is made from this and the cells' results alone.
/// Versioned by <see cref="Schema"/> and <see cref="Version"/>.
/// </summary>
/// <param name="Partial">True when the sweep was interrupted or a fleet failed to start: it holds the cells that ran.</param>
/// <param name="ProcessorCount">The machine's cores, which servers and the load generator shared.</param>
public sealed record SweepResult(
    string Schema,
    int Version,
    string Name,
    bool Partial,
    string? PartialReason,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    SweepSpec Sweep,
    int ProcessorCount,
    IReadOnlyList<SweepCellResult> Cells)
{
    public const string SchemaName = "grpc-load-lab/sweep";
    public const int CurrentVersion = 1;
}

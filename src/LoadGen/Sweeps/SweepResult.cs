namespace GrpcLoadLab.LoadGen.Sweeps;

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

/// <summary>One cell: where it sat in the grid and the folder of its run (null when it did not run).</summary>
/// <param name="Load">Total callers (closed model) or calls a second (open model).</param>
/// <param name="FreshFleet">
/// True when the cell ran first on a fleet just started (false in sweeps written before this was recorded).
/// </param>
public sealed record SweepCellResult(string Profile, string Policy, int Instances, bool OpenModel, double Load, string? RunFolder, int ExitCode, bool FreshFleet = false)
{
    /// <summary>The load in words: "64 concurrent" or "800/s".</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string LoadText => SweepCell.Describe(OpenModel, Load);
}

using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Reports;

/// <summary>
/// What the index shows of one run, kept beside its <c>result.json</c> as <c>index-entry.json</c> (see
/// <see cref="IndexEntries"/>): a few hundred bytes instead of the whole result, so that writing the index reads no
/// histogram. A damaged run's entry says what is wrong with it (<see cref="Damage"/>) and holds nothing else.
/// </summary>
/// <param name="Stamp">The <c>result.json</c> this entry was made from (its length and last write time): a changed file is read again.</param>
internal sealed record IndexEntry(int Version, string Stamp, string? Damage)
{
    public const string FileName = "index-entry.json";
    public const int CurrentVersion = 1;

    public string Name { get; init; } = "";
    public string Kind { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; }
    public bool Partial { get; init; }
    public bool Passed { get; init; }
    public bool Valid { get; init; }
    public int Instances { get; init; }
    public string Policy { get; init; } = "";

    /// <summary>The agent the run was, or the agents it merges, in words (<see cref="AgentWords"/>); empty for a run of the whole load.</summary>
    public string Agents { get; init; } = "";

    /// <summary>Calls a second (open model) rather than callers (closed).</summary>
    public bool OpenModel { get; init; }

    /// <summary>The highest load a measured phase asked for: callers, or calls a second; null when no phase asked for one.</summary>
    public double? Load { get; init; }

    /// <summary>Each of <see cref="KeyFigures.All"/> by its id; null where the run has no value for it.</summary>
    public IReadOnlyDictionary<string, double?> Figures { get; init; } = new Dictionary<string, double?>();

    public static IndexEntry Damaged(string stamp, string damage) => new(CurrentVersion, stamp, damage);

    public static IndexEntry Of(RunResult result, string stamp)
    {
        var measured = result.Scenario.Phases.Where(phase => !phase.Warmup).ToList();
        var open = measured.Any(phase => phase is OpenPhase);
        var loads = measured.Select(phase => phase.HighestLoad).OfType<double>().ToList();
        return new(CurrentVersion, stamp, null)
        {
            Name = result.Name,
            Kind = Spellings.CallKind.Name(result.Scenario.Call.Kind),
            StartedAt = result.StartedAt,
            Partial = result.Partial,
            Passed = result.Verdict.Passed,
            Valid = result.Verdict.Valid,
            Instances = result.Environment.ServerCount,
            Policy = Spellings.Policy.Name(result.Scenario.Target.Policy),
            Agents = AgentWords.Of(result),
            OpenModel = open,
            Load = loads.Count == 0 ? null : loads.Max(),
            Figures = KeyFigures.All.ToDictionary(figure => figure.Id, figure => figure.Value(result)),
        };
    }

    /// <summary>The load in words: <c>64 concurrent</c> or <c>800/s</c>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string LoadText => Load is { } load ? NumberText.Load(OpenModel, load) : "-";
}

using System.Text.Json.Serialization;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// Everything a run measured: the source of truth that <c>result.json</c> holds and that reports, comparisons and
/// sweeps read. Versioned by <see cref="Schema"/> and <see cref="Version"/>.
/// </summary>
/// <param name="Partial">True when the run was interrupted (Ctrl-C) or failed part way: it holds what was measured.</param>
/// <param name="Totals">All measured (non-warm-up) phases together.</param>
public sealed record RunResult(
    string Schema,
    int Version,
    string Name,
    bool Partial,
    string? PartialReason,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    Scenario Scenario,
    EnvironmentInfo Environment,
    IReadOnlyList<PhaseResult> Phases,
    PhaseStats Totals,
    IReadOnlyList<TimelineSecond> Timeline,
    IReadOnlyList<EndpointResult> Endpoints,
    IReadOnlyList<ServerStatsPair> Servers,
    Verdict Verdict)
{
    public const string SchemaName = "grpc-load-lab/result";
    public const int CurrentVersion = 1;

    /// <summary>The scenario's faults, each with its outcome, in the scenario's order. Results written before faults existed have none.</summary>
    public IReadOnlyList<FaultRecord> Faults { get; init; } = [];

    /// <summary>A C# scenario's named sub-steps, each timed on its own (measured phases only); none for every other run.</summary>
    public IReadOnlyList<SubStepResult> SubSteps { get; init; } = [];

    /// <summary>The agent this run was, with its share and clock (<c>loadgen run --agent K/N</c>); null (not written) for a run of the whole load.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AgentInfo? Agent { get; init; }

    /// <summary>The agents a merged run was made of (<c>loadgen merge</c>), in order; null (not written) for a run that was not merged.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AgentRun>? Agents { get; init; }

    /// <summary>
    /// The first reply that failed the call's checks (<c>call.expect</c>), as how it failed them, e.g.
    /// <c>$.name: expected "x", got "y"</c>: an example of the calls counted as CHECK_FAILED. Null when none failed.
    /// </summary>
    public string? CheckMismatch { get; init; }

    /// <summary>
    /// Each server instance's own timeline over the run (<c>WatchStats</c>), by address; null when the servers were not
    /// followed: results written before they were, and runs with <c>--no-follow</c>.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ServerTimeline>? ServerTimelines { get; init; }
}

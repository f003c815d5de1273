using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using GrpcLoadLab.LoadGen.Runner;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Commands;

/// <summary>
/// <c>loadgen run</c>'s flags for one agent of several (<c>docs/distributed.md</c>): <c>--agent K/N</c> runs agent K's
/// share of the scenario's load, <c>--start-at TIME</c> starts it on a wall-clock instant shared by every agent.
/// </summary>
internal sealed partial class AgentFlags
{
    public Option<AgentShare?> Agent { get; } = new("--agent")
    {
        Description = $"Run as agent K of N: K's share of the load, so that agents 1 to N together run the whole ({Limits.Agents.Text}); merge their results with loadgen merge.",
        CustomParser = ParseAgent,
    };

    public Option<DateTimeOffset?> StartAt { get; } = new("--start-at")
    {
        Description = "With --agent: start the load at this instant, ISO-8601 with its zone, e.g. 2026-12-02T10:00:00Z (at most 24h ahead; a past one starts at once, said late).",
        CustomParser = ParseStartAt,
    };

    public IEnumerable<Option> All => [Agent, StartAt];

    /// <summary>The agent's plan, or null for a run of the whole load; a <c>--start-at</c> without <c>--agent</c> is refused.</summary>
    /// <exception cref="ScenarioException">--start-at without --agent.</exception>
    public AgentPlan? Plan(ParseResult parse, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var startAt = parse.GetValue(StartAt);
        if (parse.GetValue(Agent) is not { } share)
        {
            return startAt is null ? null : throw new ScenarioException("--start-at", null, "starts agents together: give --agent K/N too");
        }

        return new AgentPlan(share, startAt, log);
    }

    private static AgentShare? ParseAgent(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (AgentShare.TryParse(text, out var share, out var problem))
        {
            return share;
        }

        result.AddError($"--agent {problem}");
        return null;
    }

    private static DateTimeOffset? ParseStartAt(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (!IsoInstant().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var instant))
        {
            result.AddError($"--start-at '{text}' is not an ISO-8601 time with its zone: write e.g. 2026-12-02T10:00:00Z (UTC) or 2026-12-02T11:00:00+01:00");
            return null;
        }

        if (instant - DateTimeOffset.UtcNow > AgentPlan.LongestWait)
        {
            result.AddError($"--start-at {text} is more than {AgentPlan.LongestWait.TotalHours:0}h ahead: give an instant within the next {AgentPlan.LongestWait.TotalHours:0}h");
            return null;
        }

        return instant;
    }

    // A date, a time to the second (a fraction allowed) and a zone: a time without one would read differently on each host.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex IsoInstant();
}

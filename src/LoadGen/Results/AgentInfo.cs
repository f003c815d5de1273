using System.Globalization;
using System.Text.Json.Serialization;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// The agent a run was (<c>loadgen run --agent K/N</c>): its share of the scenario's load, the host it ran on, and its
/// clock, so that <c>loadgen merge</c> can check that every agent is there once and align their seconds.
/// </summary>
/// <param name="Index">K, from 1.</param>
/// <param name="Count">N, the agents that shared the load.</param>
/// <param name="Host">The machine's name.</param>
public sealed record AgentInfo(int Index, int Count, string Host, AgentClock Clock)
{
    /// <summary>K/N, as <c>--agent</c> takes it.</summary>
    [JsonIgnore]
    public string Text => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}

/// <summary>When an agent started its load, by its own wall clock, against the instant it was asked to.</summary>
/// <param name="StartAt">The <c>--start-at</c> instant (UTC); null when the agent was given none and started at once.</param>
/// <param name="StartedAt">When its load started (UTC): the instant its timeline's second 0 begins.</param>
/// <param name="OffsetMillis">StartedAt − StartAt in milliseconds (positive: after it); null without <c>--start-at</c>.</param>
/// <param name="Late">True when the agent was ready only after <c>--start-at</c> had passed, and so started at once, late by about <paramref name="OffsetMillis"/>.</param>
public sealed record AgentClock(DateTimeOffset? StartAt, DateTimeOffset StartedAt, double? OffsetMillis, bool Late);

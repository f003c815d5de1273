using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Runner;

/// <summary>What makes a run one agent of several: its share of the load, and the instant all agents start at.</summary>
/// <param name="StartAt">The wall-clock instant to start the load at (<c>--start-at</c>); null: as soon as it is ready.</param>
/// <param name="Log">Where the agent says that it waits, or that it is late.</param>
public sealed record AgentPlan(AgentShare Share, DateTimeOffset? StartAt, TextWriter Log)
{
    /// <summary>The furthest ahead a start may be: farther is a typo, not a plan.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromHours(24);
}

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>One agent of a merged run, as <c>loadgen merge</c> read it: enough to see which agent did what.</summary>
/// <param name="Source">The agent's result.json as it was given to the merge.</param>
/// <param name="StartSeconds">When its load started, in seconds on the merged run's clock (from the earliest agent's start).</param>
/// <param name="Calls">Its measured calls.</param>
/// <param name="P99">Its own measured latency p99, in microseconds.</param>
public sealed record AgentRun(
    AgentInfo Agent,
    string Source,
    double StartSeconds,
    bool Partial,
    bool Valid,
    IReadOnlyList<string> InvalidReasons,
    CallCounts Calls,
    double CallsPerSecond,
    long P99);

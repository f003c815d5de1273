namespace GrpcLoadLab.LoadGen.Terminal;

/// <summary>What the live view shows, taken once a second while the run goes on.</summary>
/// <param name="CallsPerSecond">Calls that ended in the last second.</param>
/// <param name="P50Millis">Latency of the calls that ended in the last second.</param>
/// <param name="Failed">Failed calls so far (all phases).</param>
/// <param name="Servers">Each server's share of the calls so far, by instance id.</param>
public sealed record LiveSnapshot(
    string Scenario,
    string Phase,
    int PhaseNumber,
    int PhaseCount,
    bool Warmup,
    TimeSpan Elapsed,
    TimeSpan Remaining,
    double CallsPerSecond,
    double P50Millis,
    double P99Millis,
    long Succeeded,
    long Failed,
    long InFlight,
    long Dropped,
    IReadOnlyList<ServerShare> Servers);

/// <summary>One server's calls so far and its share of them.</summary>
public sealed record ServerShare(string InstanceId, long Calls, double Share);

using Grpc.Core;

namespace GrpcLoadLab.Balancer.Tracking;

/// <summary>One endpoint's counters at one moment.</summary>
/// <param name="Address">host:port.</param>
/// <param name="InRotation">Whether the balancer may pick it now.</param>
/// <param name="Picks">Attempts sent to it, retries and hedges included.</param>
/// <param name="RetryAttempts">Of those, the attempts that were retries or hedges of a call.</param>
/// <param name="InFlight">Attempts started and not yet ended, warm-up ones too (<see cref="EndpointStats.Snapshot"/>).</param>
/// <param name="Succeeded">Attempts that ended with status OK.</param>
/// <param name="FailedByStatus">Attempts that ended with another status the server (or the transport) gave.</param>
/// <param name="Abandoned">Attempts that ended with no status: cancelled by the client, past their deadline, or cut off.</param>
public sealed record EndpointSnapshot(
    string Address,
    bool InRotation,
    long Picks,
    long RetryAttempts,
    long InFlight,
    long Succeeded,
    IReadOnlyDictionary<StatusCode, long> FailedByStatus,
    long Abandoned)
{
    public long Failed => FailedByStatus.Values.Sum();
}

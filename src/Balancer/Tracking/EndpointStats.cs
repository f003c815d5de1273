using Grpc.Core;

namespace GrpcLoadLab.Balancer.Tracking;

/// <summary>
/// Live counters of one endpoint, updated lock-free by every attempt the balancer sends it; read at any moment.
/// An attempt is a pick: a retried or hedged call makes several.
/// </summary>
public sealed class EndpointStats
{
    private readonly StatusTally _endedByStatus = new();
    private long _picks;
    private long _retryAttempts;
    private long _inFlight;
    private long _abandoned;
    private volatile bool _inRotation;

    internal EndpointStats(string address) => Address = address;

    /// <summary>host:port, as the resolver listed it.</summary>
    public string Address { get; }

    /// <summary>Whether the balancer may pick this endpoint now (listed by the resolver and SERVING).</summary>
    public bool InRotation
    {
        get => _inRotation;
        internal set => _inRotation = value;
    }

    /// <summary>Attempts in flight: started and not yet ended. Streaming calls count until the stream ends.</summary>
    public long InFlight => Volatile.Read(ref _inFlight);

    internal void AttemptStarted(bool isRetry)
    {
        Interlocked.Increment(ref _picks);
        if (isRetry)
        {
            Interlocked.Increment(ref _retryAttempts);
        }

        Interlocked.Increment(ref _inFlight);
    }

    /// <summary>An attempt ended with the status the server sent, or with none (<paramref name="status"/> null).</summary>
    internal void AttemptEnded(StatusCode? status)
    {
        if (status is { } code)
        {
            _endedByStatus.Add(code);
        }
        else
        {
            Interlocked.Increment(ref _abandoned);
        }

        Interlocked.Decrement(ref _inFlight);
    }

    public EndpointSnapshot Snapshot()
    {
        var byStatus = _endedByStatus.Counted().Where(s => s.Key != StatusCode.OK).ToDictionary();

        return new EndpointSnapshot(
            Address,
            InRotation,
            Picks: Volatile.Read(ref _picks),
            RetryAttempts: Volatile.Read(ref _retryAttempts),
            InFlight: InFlight,
            Succeeded: _endedByStatus[StatusCode.OK],
            FailedByStatus: byStatus,
            Abandoned: Volatile.Read(ref _abandoned));
    }
}

using Grpc.Core;

namespace GrpcLoadLab.Balancer.Tracking;

/// <summary>
/// Live counters of one endpoint, updated lock-free by every attempt the balancer sends it; read at any moment.
/// An attempt is a pick: a retried or hedged call makes several. Warm-up attempts (<see cref="WarmupScope"/>) are
/// counted apart from the others, and in flight with them.
/// </summary>
public sealed class EndpointStats
{
    private readonly AttemptCounts _measured = new();
    private readonly AttemptCounts _warmup = new();
    private long _inFlight;
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

    /// <summary>Counts an attempt in the counts of its kind (warm-up or not) and returns them: its end is counted there too.</summary>
    internal AttemptCounts AttemptStarted(bool isRetry)
    {
        var counts = WarmupScope.IsWarmup ? _warmup : _measured;
        counts.Started(isRetry);
        Interlocked.Increment(ref _inFlight);
        return counts;
    }

    /// <summary>An attempt ended with the status the server sent, or with none (<paramref name="status"/> null).</summary>
    internal void AttemptEnded(AttemptCounts counts, StatusCode? status)
    {
        counts.Ended(status);
        Interlocked.Decrement(ref _inFlight);
    }

    /// <param name="includeWarmup">
    /// Count the warm-up attempts too (the default), or only the others; in flight counts both either way, as the
    /// least-outstanding policy sees the endpoint.
    /// </param>
    public EndpointSnapshot Snapshot(bool includeWarmup = true)
    {
        AttemptCounts[] kinds = includeWarmup ? [_measured, _warmup] : [_measured];
        var byStatus = kinds.SelectMany(k => k.EndedByStatus.Counted())
            .GroupBy(s => s.Key, s => s.Value)
            .OrderBy(g => (int)g.Key)
            .ToDictionary(g => g.Key, g => g.Sum());

        return new EndpointSnapshot(
            Address,
            InRotation,
            Picks: kinds.Sum(k => k.Picks),
            RetryAttempts: kinds.Sum(k => k.RetryAttempts),
            InFlight: InFlight,
            Succeeded: byStatus.GetValueOrDefault(StatusCode.OK),
            FailedByStatus: byStatus.Where(s => s.Key != StatusCode.OK).ToDictionary(),
            Abandoned: kinds.Sum(k => k.Abandoned));
    }
}

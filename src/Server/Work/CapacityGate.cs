using System.Threading.RateLimiting;
using GrpcLoadLab.Server.Hosting;

namespace GrpcLoadLab.Server.Work;

/// <summary>
/// The per-instance capacity limit: at most <see cref="ServerOptions.Capacity"/> calls do work at once and at most
/// <see cref="ServerOptions.EffectiveQueueLimit"/> wait for a slot, oldest first. With capacity 0 it admits everything.
/// </summary>
public sealed class CapacityGate : IDisposable
{
    private readonly ConcurrencyLimiter? _limiter;

    public CapacityGate(ServerOptions options)
    {
        Capacity = options.Capacity;
        QueueLimit = options.EffectiveQueueLimit;
        if (Capacity > 0)
        {
            _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = Capacity,
                QueueLimit = QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }
    }

    public int Capacity { get; }

    public int QueueLimit { get; }

    /// <summary>Calls waiting for a slot right now.</summary>
    public long Queued => _limiter?.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>
    /// Waits for a slot. Returns the lease that holds it (null when unlimited), or throws
    /// <see cref="CapacityExceededException"/> at once when the slots and the queue are full.
    /// </summary>
    public async ValueTask<RateLimitLease?> EnterAsync(CancellationToken cancellationToken)
    {
        if (_limiter is null)
        {
            return null;
        }

        var lease = _limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            lease = await _limiter.AcquireAsync(1, cancellationToken);
        }

        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new CapacityExceededException();
        }

        return lease;
    }

    public void Dispose() => _limiter?.Dispose();
}

using Grpc.Core;

namespace GrpcLoadLab.Balancer.Tracking;

/// <summary>
/// One endpoint's counts of one kind of attempt (warm-up or measured, <see cref="WarmupScope"/>), updated lock-free by
/// every attempt of that kind.
/// </summary>
internal sealed class AttemptCounts
{
    private long _picks;
    private long _retryAttempts;
    private long _abandoned;

    public StatusTally EndedByStatus { get; } = new();

    public long Picks => Volatile.Read(ref _picks);

    public long RetryAttempts => Volatile.Read(ref _retryAttempts);

    public long Abandoned => Volatile.Read(ref _abandoned);

    public void Started(bool isRetry)
    {
        Interlocked.Increment(ref _picks);
        if (isRetry)
        {
            Interlocked.Increment(ref _retryAttempts);
        }
    }

    /// <summary>An attempt ended with the status the server sent, or with none (<paramref name="status"/> null).</summary>
    public void Ended(StatusCode? status)
    {
        if (status is { } code)
        {
            EndedByStatus.Add(code);
        }
        else
        {
            Interlocked.Increment(ref _abandoned);
        }
    }
}

namespace GrpcLoadLab.Common;

/// <summary>
/// An awaited delay that is never shorter than asked by the precise clock. Task.Delay holds no thread while it waits
/// (a timer completes it), but timers count coarse milliseconds, drop a fraction, and may fire a little early by the
/// precise clock: so the delay is rounded up to whole milliseconds and waited again for whatever is left.
/// </summary>
public static class AwaitedDelay
{
    /// <summary>Waits at least <paramref name="delay"/>; ends early, throwing OperationCanceledException, on cancellation.</summary>
    public static async ValueTask WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        TimeSpan left;
        while ((left = delay - time.GetElapsedTime(start)) > TimeSpan.Zero)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(left.TotalMilliseconds)), time, cancellationToken);
        }
    }
}

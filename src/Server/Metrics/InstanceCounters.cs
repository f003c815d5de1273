using System.Diagnostics;

namespace GrpcLoadLab.Server.Metrics;

/// <summary>The instance's own call counters since it started, updated lock-free by every call.</summary>
public sealed class InstanceCounters
{
    private readonly CallKindCounters[] _byKind = [new(), new(), new(), new()];
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private long _inFlight;
    private long _rejected;

    /// <summary>Calls admitted and not yet ended.</summary>
    public long InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Calls refused because the capacity limit and its queue were full.</summary>
    public long Rejected => Volatile.Read(ref _rejected);

    public TimeSpan Uptime => Stopwatch.GetElapsedTime(_startTimestamp);

    public CallKindCounters this[CallKind kind] => _byKind[(int)kind];

    public void CallStarted() => Interlocked.Increment(ref _inFlight);

    public void CallEnded(CallKind kind, CallOutcome outcome)
    {
        _byKind[(int)kind].Ended(outcome);
        Interlocked.Decrement(ref _inFlight);
    }

    /// <summary>A started call was refused for want of capacity: counted as rejected, not as a call of its kind.</summary>
    public void CallRejected()
    {
        Interlocked.Increment(ref _rejected);
        Interlocked.Decrement(ref _inFlight);
    }
}

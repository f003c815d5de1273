using System.Diagnostics;
using Grpc.Core;
using GrpcLoadLab.Server.Metrics.Timeline;

namespace GrpcLoadLab.Server.Metrics;

/// <summary>
/// The instance's own call counters since it started, updated lock-free by every call. Each change is also recorded on
/// the <see cref="ServerInstruments"/> meter and in the timeline's <see cref="CallTally"/>, here and nowhere else, so
/// that GetStats, the exports and the timeline count alike.
/// </summary>
public sealed class InstanceCounters(ServerInstruments instruments, CallTally timeline)
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

    /// <returns>When the call started (a Stopwatch reading), from which its duration is measured.</returns>
    public long CallStarted(CallKind kind)
    {
        Interlocked.Increment(ref _inFlight);
        instruments.CallStarted(kind);
        return Stopwatch.GetTimestamp();
    }

    /// <param name="status">The status the call ends with: OK when completed, CANCELLED when cancelled.</param>
    public void CallEnded(CallKind kind, CallOutcome outcome, StatusCode status, long startTimestamp)
    {
        _byKind[(int)kind].Ended(outcome);
        Interlocked.Decrement(ref _inFlight);
        var seconds = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
        instruments.CallEnded(kind, outcome, status, seconds);
        timeline.Ended(kind, outcome, status, seconds);
    }

    /// <summary>A started call was refused for want of capacity: counted as rejected, not as a call of its kind.</summary>
    public void CallRejected(CallKind kind)
    {
        Interlocked.Increment(ref _rejected);
        Interlocked.Decrement(ref _inFlight);
        instruments.QueuedCallRefused(kind);
        instruments.CallRefused(kind, ServerInstruments.Rejected, StatusCode.ResourceExhausted);
        timeline.RejectedForCapacity();
    }

    /// <summary>A call failed on purpose by a fault before admission (counted by the fault injector, not as a call of its kind).</summary>
    public void CallFailedByFault(CallKind kind, StatusCode status)
    {
        instruments.CallRefused(kind, ServerInstruments.FaultFailed, status);
        timeline.FailedByFault(status);
    }
}

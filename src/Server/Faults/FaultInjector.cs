using Grpc.Core;
using GrpcLoadLab.Common;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Hosting;
using GrpcLoadLab.Server.Work;

namespace GrpcLoadLab.Server.Faults;

/// <summary>
/// The behaviour fault in force on this instance (SetFault), which every call of the four kinds consults: with none
/// set, that costs one volatile read. Faults are refused unless the server was started with --allow-faults, so that
/// an instance cannot be made to fail by any client that reaches its port.
/// </summary>
public sealed partial class FaultInjector(ServerOptions options, TimeProvider time, ILogger<FaultInjector> logger) : IDisposable
{
    private readonly Lock _changing = new();
    private volatile ActiveFault? _active;
    private long _callsDelayed;
    private long _callsFailed;

    /// <summary>The fault in force, or null: read once per call.</summary>
    public ActiveFault? Current => _active;

    public long CallsDelayed => Volatile.Read(ref _callsDelayed);

    public long CallsFailed => Volatile.Read(ref _callsFailed);

    /// <summary>
    /// Puts the asked-for fault in force in place of the one before (or clears it), and returns the new state.
    /// Throws FAILED_PRECONDITION, changing nothing, when faults are off.
    /// </summary>
    public FaultState Set(FaultRequest request)
    {
        if (!options.AllowFaults)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "faults are off: start the server with --allow-faults"));
        }

        var settings = FaultSettings.FromRequest(request);
        lock (_changing)
        {
            var previous = _active;
            var next = settings.ClearsFault ? null : new ActiveFault(settings);
            if (next is not null && settings.Duration > TimeSpan.Zero)
            {
                next.Expiry = time.CreateTimer(_ => Expire(next), null, settings.Duration, Timeout.InfiniteTimeSpan);
            }

            _active = next;
            previous?.Dispose();
            if (next is not null)
            {
                LogSet(logger, settings);
            }
            else if (previous is not null)
            {
                LogCleared(logger);
            }

            return State(next);
        }
    }

    /// <summary>The fault in force and the counters, as SetFault answers.</summary>
    public FaultState State() => State(_active);

    /// <summary>Fails the call at once with the fault's status when the fault chooses it; counted, never per-call logged.</summary>
    public void FailIfChosen(ActiveFault fault)
    {
        if (fault.ChooseToFail())
        {
            Interlocked.Increment(ref _callsFailed);
            throw new RpcException(fault.Failure);
        }
    }

    /// <summary>
    /// Waits the fault's extra delay, if it has one; ends early, throwing OperationCanceledException, when the call is
    /// cancelled or its deadline passes.
    /// </summary>
    public async ValueTask DelayAsync(ActiveFault fault, CancellationToken cancellationToken)
    {
        var delay = fault.Settings.ExtraDelay;
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        Interlocked.Increment(ref _callsDelayed);
        await AwaitedDelay.WaitAsync(delay, time, cancellationToken);
    }

    public void Dispose()
    {
        lock (_changing)
        {
            _active?.Dispose();
            _active = null;
        }
    }

    private void Expire(ActiveFault fault)
    {
        lock (_changing)
        {
            // A fault that was replaced or cleared meanwhile is not the one in force: leave that one be.
            if (_active != fault)
            {
                return;
            }

            _active = null;
            fault.Dispose();
            LogExpired(logger, fault.Settings.Duration.TotalSeconds);
        }
    }

    private FaultState State(ActiveFault? fault)
    {
        var state = new FaultState { CallsDelayed = CallsDelayed, CallsFailed = CallsFailed };
        if (fault is { Settings: var settings })
        {
            state.Active = true;
            state.ExtraDelayMicros = (long)settings.ExtraDelay.TotalMicroseconds;
            state.FailureRatio = settings.FailureRatio;
            state.FailureStatus = (int)settings.FailureStatus;
            state.DurationMicros = (long)settings.Duration.TotalMicroseconds;
        }

        return state;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "fault set: {Fault}")]
    private static partial void LogSet(ILogger logger, FaultSettings fault);

    [LoggerMessage(Level = LogLevel.Information, Message = "fault cleared")]
    private static partial void LogCleared(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "fault cleared: its {Seconds} s duration ended")]
    private static partial void LogExpired(ILogger logger, double seconds);
}

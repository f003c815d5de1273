using System.Diagnostics;
using System.Runtime.CompilerServices;
using Grpc.Core;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Calls;

/// <summary>
/// Makes one call of the scenario's kind and records what it did. Subclasses do the kind's messages (the lab's own
/// calls: <see cref="LabCallDriver"/>; any service's: <see cref="Dynamic.DynamicCallDriver"/>); this class does the
/// timing, the deadline and the accounting, so that every started call ends exactly one way.
/// </summary>
internal abstract class CallDriver
{
    /// <summary>gRPC frames each message with a 5-byte header (compressed flag and length).</summary>
    protected const int FrameHeaderBytes = 5;

    private readonly RunRecorder _recorder;
    private readonly CancellationToken _runAborted;

    protected CallDriver(CallSpec spec, RunRecorder recorder, CancellationToken runAborted)
    {
        Spec = spec;
        _recorder = recorder;
        _runAborted = runAborted;
    }

    protected CallSpec Spec { get; }

    public static CallDriver Create(LoadLab.LoadLabClient client, CallSpec spec, RunRecorder recorder, CancellationToken runAborted) =>
        spec.Kind switch
        {
            CallKind.Unary => new UnaryDriver(client, spec, recorder, runAborted),
            CallKind.ServerStream => new ServerStreamDriver(client, spec, recorder, runAborted),
            CallKind.ClientStream => new ClientStreamDriver(client, spec, recorder, runAborted),
            CallKind.Bidi => new BidiDriver(client, spec, recorder, runAborted),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, null),
        };

    /// <summary>Runs one call that was due at <paramref name="scheduled"/>; records it and never throws.</summary>
    /// <param name="worker">The closed model's caller that makes the call, from 0; 0 in the open model.</param>
    /// <remarks>
    /// Its state, and its kind's (<see cref="ExecuteAsync"/>), live in pooled boxes: an awaited call allocates
    /// nothing of loadgen's but its <see cref="CallProgress"/> (bench/LoadGen.Benchmarks keeps this visible).
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask RunAsync(PhaseRecorder phase, long scheduled, int worker)
    {
        var started = Stopwatch.GetTimestamp();
        _recorder.CallStarted(phase, scheduled, started);
        var progress = new CallProgress { Worker = worker };
        StatusCode status;
        Exception? failure = null;
        try
        {
            var options = new CallOptions(deadline: DateTime.UtcNow + Spec.Deadline, cancellationToken: _runAborted);
            await ExecuteAsync(phase, scheduled, progress, options);
            status = StatusCode.OK;
        }
        catch (RpcException e)
        {
            status = e.StatusCode;
            failure = e;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException or InvalidOperationException)
        {
            // Outside gRPC's own status: the run was cancelled, or the transport failed before a status existed.
            status = _runAborted.IsCancellationRequested ? StatusCode.Cancelled : StatusCode.Unavailable;
            failure = e;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The generator's own failure (e.g. a deadline past DateTime's range): the call still ends, as failed,
            // and the run is marked invalid with this exception named.
            _recorder.GeneratorFailed(e);
            status = StatusCode.Internal;
            failure = e;
        }

        _recorder.CallEnded(phase, new CallRecord(
            scheduled,
            started,
            progress.FirstMessage,
            Stopwatch.GetTimestamp(),
            status,
            CancelledByRun: status == StatusCode.Cancelled && _runAborted.IsCancellationRequested,
            progress.InstanceId,
            progress.BytesSent,
            progress.BytesReceived,
            progress.MessagesSent,
            progress.MessagesReceived,
            // A call the server failed is counted by its status, whatever its earlier replies held.
            status == StatusCode.OK ? progress.Mismatch : null,
            failure is null ? null : FailureTally.Describe(failure)));
    }

    /// <param name="scheduled">When the call was due (a Stopwatch reading): its planned start in the open model, its actual start in the closed one.</param>
    protected abstract ValueTask ExecuteAsync(PhaseRecorder phase, long scheduled, CallProgress progress, CallOptions options);

    /// <summary>The pauses between a stream's sends; null when the scenario sets no message interval.</summary>
    protected MessagePauses? PausesBetweenMessages(CancellationToken callToken) =>
        Spec.MessageInterval > TimeSpan.Zero ? new MessagePauses(Spec.MessageInterval, callToken) : null;

    /// <summary>
    /// Whether <paramref name="callOver"/> completes before <paramref name="pause"/> ends; false once the pause has
    /// passed (it throws if it was cancelled). A stream's driver waits so between sends: a call that the server ends
    /// during the pause (a draining server ends open streams so) is over then, not at the next send, up to an interval
    /// later.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    protected static async ValueTask<bool> EndsBeforeAsync(Task callOver, Task pause)
    {
        if (await Task.WhenAny(callOver, pause) == callOver)
        {
            return true;
        }

        await pause;
        return false;
    }

    /// <summary>A message sent, of <paramref name="messageBytes"/> with its frame header.</summary>
    protected static void Sent(CallProgress progress, long messageBytes)
    {
        progress.MessagesSent++;
        progress.BytesSent += messageBytes;
    }

    /// <summary>A message received, of <paramref name="messageBytes"/> with its frame header.</summary>
    /// <param name="instanceId">The instance the reply names; empty (proto3's default: a server that does not fill it) names none.</param>
    protected static void Received(CallProgress progress, long messageBytes, string? instanceId)
    {
        progress.MessagesReceived++;
        progress.BytesReceived += messageBytes;
        if (!string.IsNullOrEmpty(instanceId))
        {
            progress.InstanceId ??= instanceId;
        }
    }

    /// <summary>A message of a streaming call, received at <paramref name="timestamp"/>: the first one is timed.</summary>
    protected static void ReceivedOnStream(CallProgress progress, long messageBytes, string? instanceId, long timestamp)
    {
        if (progress.FirstMessage == 0)
        {
            progress.FirstMessage = timestamp;
        }

        Received(progress, messageBytes, instanceId);
    }
}

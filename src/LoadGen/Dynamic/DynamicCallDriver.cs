using System.Diagnostics;
using System.Runtime.CompilerServices;
using Grpc.Core;
using GrpcLoadLab.Common;
using GrpcLoadLab.LoadGen.Calls;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Dynamic;

/// <summary>
/// Calls any service's method of any kind through the run's channel, with raw bytes both ways. A server stream's
/// gaps between replies are timed as the lab's; a client stream or bidi call sends its list of messages, or its one
/// request <c>messages</c> times, spaced by its message interval, while a bidi call reads whatever the server answers
/// (any number of replies per message, as a server not written for the lab may). With the call's checks, every reply
/// is checked, each message of a stream: the first that fails one is kept in the call's progress, and the call that
/// ends OK is counted as CHECK_FAILED.
/// </summary>
internal sealed class DynamicCallDriver(CallInvoker invoker, DynamicCall call, CallSpec spec, RunRecorder recorder, CancellationToken runAborted)
    : CallDriver(spec, recorder, runAborted)
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    protected override async ValueTask ExecuteAsync(PhaseRecorder phase, long scheduled, CallProgress progress, CallOptions options)
    {
        var (messages, headers) = call.Next(progress.Worker);
        if (headers is not null)
        {
            options = options.WithHeaders(headers);
        }

        switch (call.Kind)
        {
            case CallKind.Unary:
                Sent(progress, messages[0].Length + FrameHeaderBytes);
                var reply = await invoker.AsyncUnaryCall(call.Method, host: null, options, messages[0]);
                Received(progress, reply.Length + FrameHeaderBytes, instanceId: null);
                Check(progress, reply);
                break;
            case CallKind.ServerStream:
                using (var stream = invoker.AsyncServerStreamingCall(call.Method, host: null, options, messages[0]))
                {
                    Sent(progress, messages[0].Length + FrameHeaderBytes);
                    await ReadRepliesAsync(phase, progress, stream.ResponseStream, options.CancellationToken);
                }

                break;
            case CallKind.ClientStream:
                using (var stream = invoker.AsyncClientStreamingCall(call.Method, host: null, options))
                {
                    await SendAllAsync(progress, messages, stream.RequestStream, stream.ResponseAsync, options.CancellationToken);
                    var summary = await stream.ResponseAsync;
                    ReceivedOnStream(progress, summary.Length + FrameHeaderBytes, instanceId: null, Stopwatch.GetTimestamp());
                    Check(progress, summary);
                }

                break;
            default:
                using (var stream = invoker.AsyncDuplexStreamingCall(call.Method, host: null, options))
                {
                    var reading = ReadRepliesAsync(phase, progress, stream.ResponseStream, options.CancellationToken);
                    await SendAllAsync(progress, messages, stream.RequestStream, reading, options.CancellationToken);
                    await reading;
                }

                break;
        }
    }

    /// <summary>A list's messages each once, or the one request <c>messages</c> times, until the call is over.</summary>
    /// <param name="callOver">Completes when the server has ended the call: its response, or the reading of its replies.</param>
    private async Task SendAllAsync(CallProgress progress, IReadOnlyList<byte[]> messages, IClientStreamWriter<byte[]> requests, Task callOver, CancellationToken cancellationToken)
    {
        var count = call.MessageList ? messages.Count : Spec.Messages;
        using var pauses = PausesBetweenMessages(cancellationToken);
        for (var sequence = 0; sequence < count; sequence++)
        {
            if (sequence > 0 && pauses is not null && await EndsBeforeAsync(callOver, pauses.Next()))
            {
                break; // The server has ended the call during the pause: its status comes with the response.
            }

            var message = messages[call.MessageList ? sequence : 0];
            if (!await requests.TryWriteAsync(message, cancellationToken))
            {
                break; // The server has ended the call: its status comes with the response.
            }

            Sent(progress, message.Length + FrameHeaderBytes);
        }

        await requests.CompleteAsync();
    }

    /// <summary>Keeps the first reply of the call that fails the call's checks; checks nothing when there are none.</summary>
    private void Check(CallProgress progress, byte[] reply)
    {
        if (call.ReplyCheck is { } check && progress.Mismatch is null)
        {
            progress.Mismatch = check.Mismatch(reply);
        }
    }

    /// <summary>Reads replies until the server ends the stream, timing the gaps between them.</summary>
    private async Task ReadRepliesAsync(PhaseRecorder phase, CallProgress progress, IAsyncStreamReader<byte[]> replies, CancellationToken cancellationToken)
    {
        long previous = 0;
        while (await replies.MoveNext(cancellationToken))
        {
            var now = Stopwatch.GetTimestamp();
            if (previous != 0)
            {
                phase.InterArrival.RecordClamped(Ticks.ToMicros(now - previous));
            }

            previous = now;
            ReceivedOnStream(progress, replies.Current.Length + FrameHeaderBytes, instanceId: null, now);
            Check(progress, replies.Current);
        }
    }
}

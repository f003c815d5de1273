using System.Diagnostics;
using System.Runtime.CompilerServices;
using Grpc.Core;
using GrpcLoadLab.Common;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Calls;

/// <summary>
/// Ping-pong: sends a message, waits for its echo, and times each round trip (per-message latency); the message
/// interval spaces the rounds, and the read of the next echo begins with the pause, so that a call the server ends
/// meanwhile is over at once.
/// </summary>
internal sealed class BidiDriver(LoadLab.LoadLabClient client, CallSpec spec, RunRecorder recorder, CancellationToken runAborted)
    : LabCallDriver(client, spec, recorder, runAborted)
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    protected override async ValueTask ExecuteAsync(PhaseRecorder phase, long scheduled, CallProgress progress, CallOptions options)
    {
        using var call = Client.Bidi(options);
        var token = options.CancellationToken;
        using var pauses = PausesBetweenMessages(token);
        // One message per call, renumbered for each send: a write has serialized it by the time it completes.
        var message = new WorkRequest(Request);
        // The read of the next echo, when it began before the send: during the pause before it.
        Task<bool>? echo = null;
        for (var sequence = 0; sequence < Spec.Messages; sequence++)
        {
            if (sequence > 0 && pauses is not null)
            {
                // Reads through the pause, so that a call the server ends meanwhile is over then, not at the next send.
                var pause = pauses.Next();
                echo = call.ResponseStream.MoveNext(token);
                while (await EndsBeforeAsync(echo, pause))
                {
                    if (!await echo)
                    {
                        return; // Ended by the server with OK (a draining server ends open streams so).
                    }

                    // A message the server sent unasked (the lab's servers send only echoes): counted, not timed.
                    ReceivedOnStream(progress, call.ResponseStream.Current, Stopwatch.GetTimestamp());
                    echo = call.ResponseStream.MoveNext(token);
                }
            }

            var sent = Stopwatch.GetTimestamp();
            message.Sequence = sequence;
            if (!await call.RequestStream.TryWriteAsync(message, token))
            {
                break; // The server has ended the call: its status is read below.
            }

            Sent(progress);
            var echoed = await (echo ?? call.ResponseStream.MoveNext(token));
            echo = null;
            if (!echoed)
            {
                // Ended by the server with OK before its echo (a draining server ends open streams so): the call's
                // status is the server's; the messages it did not echo show in the messages counts.
                return;
            }

            var received = Stopwatch.GetTimestamp();
            phase.MessageLatency.RecordClamped(Ticks.ToMicros(received - sent));
            ReceivedOnStream(progress, call.ResponseStream.Current, received);
        }

        await call.RequestStream.CompleteAsync();
        // Read to the end (on from the read begun in the pause, if a failed send left it), so that the call's own
        // status (and trailers) arrive.
        var more = await (echo ?? call.ResponseStream.MoveNext(token));
        while (more)
        {
            ReceivedOnStream(progress, call.ResponseStream.Current, Stopwatch.GetTimestamp());
            more = await call.ResponseStream.MoveNext(token);
        }
    }
}

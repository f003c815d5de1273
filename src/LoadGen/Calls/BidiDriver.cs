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
/// interval spaces the rounds.
/// </summary>
internal sealed class BidiDriver(LoadLab.LoadLabClient client, CallSpec spec, RunRecorder recorder, CancellationToken runAborted)
    : LabCallDriver(client, spec, recorder, runAborted)
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    protected override async ValueTask ExecuteAsync(PhaseRecorder phase, long scheduled, CallProgress progress, CallOptions options)
    {
        using var call = Client.Bidi(options);
        var token = options.CancellationToken;
        // One message per call, renumbered for each send: a write has serialized it by the time it completes.
        var message = new WorkRequest(Request);
        for (var sequence = 0; sequence < Spec.Messages; sequence++)
        {
            if (sequence > 0 && Spec.MessageInterval > TimeSpan.Zero)
            {
                await Task.Delay(Spec.MessageInterval, token);
            }

            var sent = Stopwatch.GetTimestamp();
            message.Sequence = sequence;
            if (!await call.RequestStream.TryWriteAsync(message, token))
            {
                break; // The server has ended the call: its status is read below.
            }

            Sent(progress);
            if (!await call.ResponseStream.MoveNext(token))
            {
                // Ended by the server with OK before its echo (a draining server ends open streams so): the call's
                // status is the server's; the messages it did not echo show in the messages counts.
                return;
            }

            var echoed = Stopwatch.GetTimestamp();
            phase.MessageLatency.RecordClamped(Ticks.ToMicros(echoed - sent));
            ReceivedOnStream(progress, call.ResponseStream.Current, echoed);
        }

        await call.RequestStream.CompleteAsync();
        // Read to the end, so that the call's own status (and trailers) arrive.
        while (await call.ResponseStream.MoveNext(token))
        {
            ReceivedOnStream(progress, call.ResponseStream.Current, Stopwatch.GetTimestamp());
        }
    }
}

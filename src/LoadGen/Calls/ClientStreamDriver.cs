using System.Diagnostics;
using System.Runtime.CompilerServices;
using Grpc.Core;
using GrpcLoadLab.Common;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Calls;

/// <summary>The configured number of requests, spaced by the message interval, then the server's one reply.</summary>
internal sealed class ClientStreamDriver(LoadLab.LoadLabClient client, CallSpec spec, RunRecorder recorder, CancellationToken runAborted)
    : LabCallDriver(client, spec, recorder, runAborted)
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    protected override async ValueTask ExecuteAsync(PhaseRecorder phase, long scheduled, CallProgress progress, CallOptions options)
    {
        using var call = Client.ClientStream(options);
        using var pauses = PausesBetweenMessages(options.CancellationToken);
        // One message per call, renumbered for each send: a write has serialized it by the time it completes.
        var message = new WorkRequest(Request);
        for (var sequence = 0; sequence < Spec.Messages; sequence++)
        {
            if (sequence > 0 && pauses is not null && await EndsBeforeAsync(call.ResponseAsync, pauses.Next()))
            {
                break; // The server has ended the call during the pause: its status comes with the response.
            }

            message.Sequence = sequence;
            if (!await call.RequestStream.TryWriteAsync(message, options.CancellationToken))
            {
                break; // The server has ended the call: its status comes with the response.
            }

            Sent(progress);
        }

        await call.RequestStream.CompleteAsync();
        var reply = await call.ResponseAsync;
        ReceivedOnStream(progress, reply, Stopwatch.GetTimestamp());
    }
}

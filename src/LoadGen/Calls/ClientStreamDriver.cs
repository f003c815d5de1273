using System.Diagnostics;
using Grpc.Core;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Calls;

/// <summary>The configured number of requests, spaced by the message interval, then the server's one reply.</summary>
internal sealed class ClientStreamDriver(LoadLab.LoadLabClient client, CallSpec spec, RunRecorder recorder, CancellationToken runAborted)
    : CallDriver(client, spec, recorder, runAborted)
{
    protected override async Task ExecuteAsync(PhaseRecorder phase, CallProgress progress, CallOptions options)
    {
        using var call = Client.ClientStream(options);
        for (var sequence = 0; sequence < Spec.Messages; sequence++)
        {
            if (sequence > 0 && Spec.MessageInterval > TimeSpan.Zero)
            {
                await Task.Delay(Spec.MessageInterval, options.CancellationToken);
            }

            await call.RequestStream.WriteAsync(new WorkRequest(Request) { Sequence = sequence }, options.CancellationToken);
            Sent(progress);
        }

        await call.RequestStream.CompleteAsync();
        var reply = await call.ResponseAsync;
        ReceivedOnStream(progress, reply, Stopwatch.GetTimestamp());
    }
}

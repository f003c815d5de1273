using System.Diagnostics;
using System.Runtime.CompilerServices;
using Grpc.Core;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Calls;

/// <summary>One request, then the server's replies until it ends the stream; times the gaps between replies.</summary>
internal sealed class ServerStreamDriver(LoadLab.LoadLabClient client, CallSpec spec, RunRecorder recorder, CancellationToken runAborted)
    : LabCallDriver(client, spec, recorder, runAborted)
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    protected override async ValueTask ExecuteAsync(PhaseRecorder phase, long scheduled, CallProgress progress, CallOptions options)
    {
        using var call = Client.ServerStream(Request, options);
        Sent(progress);
        long previous = 0;
        while (await call.ResponseStream.MoveNext(options.CancellationToken))
        {
            var now = Stopwatch.GetTimestamp();
            if (previous != 0)
            {
                phase.InterArrival.RecordClamped(Ticks.ToMicros(now - previous));
            }

            previous = now;
            ReceivedOnStream(progress, call.ResponseStream.Current, now);
        }
    }
}

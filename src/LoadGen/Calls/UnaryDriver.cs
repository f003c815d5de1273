using System.Runtime.CompilerServices;
using Grpc.Core;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Calls;

/// <summary>One request, one reply.</summary>
internal sealed class UnaryDriver(LoadLab.LoadLabClient client, CallSpec spec, RunRecorder recorder, CancellationToken runAborted)
    : LabCallDriver(client, spec, recorder, runAborted)
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    protected override async ValueTask ExecuteAsync(PhaseRecorder phase, long scheduled, CallProgress progress, CallOptions options)
    {
        Sent(progress);
        var reply = await Client.UnaryAsync(Request, options);
        Received(progress, reply);
    }
}

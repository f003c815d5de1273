using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Benchmarks;

/// <summary>One server stream, its replies read to the end.</summary>
public class ServerStreamBenchmarks() : StreamBenchmarks(CallKind.ServerStream)
{
    private static readonly WorkRequest Request = new() { ReplySize = 16 };

    protected override async Task<int> BareCallAsync()
    {
        using var call = Client.ServerStream(Request);
        var received = 0;
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            received++;
        }

        return received;
    }
}

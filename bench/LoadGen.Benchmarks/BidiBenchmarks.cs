using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Benchmarks;

/// <summary>
/// One ping-pong bidi call: each message written and its echo read (loadgen's writes go through <c>TryWriteAsync</c>
/// and each echo is timed).
/// </summary>
public class BidiBenchmarks() : StreamBenchmarks(CallKind.Bidi)
{
    /// <summary>One request renumbered per message, as loadgen's.</summary>
    private readonly WorkRequest _request = new() { ReplySize = 16 };

    protected override async Task<int> BareCallAsync()
    {
        using var call = Client.Bidi();
        var echoes = 0;
        for (var sequence = 0; sequence < Messages; sequence++)
        {
            _request.Sequence = sequence;
            await call.RequestStream.WriteAsync(_request);
            if (!await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                break;
            }

            echoes++;
        }

        await call.RequestStream.CompleteAsync();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            echoes++;
        }

        return echoes;
    }
}

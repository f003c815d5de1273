using Grpc.Core;
using Grpc.Net.Client;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Server.Tests.Functional;

/// <summary>One instance serves many calls at once: the concurrency half of the lab.</summary>
[Collection(RunAlone.Name)]
public class ConcurrencyTests
{
    private const int Streams = 5_000;

    [Fact]
    public async Task One_instance_serves_5000_concurrent_server_streams_without_errors()
    {
        await using var server = await TestServer.StartAsync();
        // An HTTP/2 connection carries 100 streams: 5,000 at once need the client to open more connections.
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        });
        var client = new LoadLab.LoadLabClient(channel);
        // Each stream lasts two delays: 16 s, several times what opening all of them takes here (2-3 s), so that the
        // last is opened while the first are still open even when the shared cores are busy.
        var request = new WorkRequest { ReplyCount = 2, ReplySize = 16, DelayMicros = 8_000_000 };

        var streams = Enumerable.Range(0, Streams).Select(_ => ReadStreamAsync(client, request, server.Timeout)).ToArray();
        await server.WaitForStatsAsync(s => s.InFlight == Streams, $"{Streams} streams in flight at once");
        var replies = await Task.WhenAll(streams);

        Assert.All(replies, r => Assert.Equal([0L, 1L], r));
        var stats = await server.GetStatsAsync();
        Assert.Equal(Streams, stats.ServerStream.Completed);
        Assert.Equal(0, stats.ServerStream.Failed + stats.ServerStream.Cancelled + stats.Rejected);
        Assert.Equal(2 * Streams, stats.ServerStream.MessagesSent);
        Assert.Equal(0, stats.InFlight);
    }

    /// <summary>One stream's reply indexes, once it has ended with OK: any other status throws.</summary>
    private static async Task<long[]> ReadStreamAsync(LoadLab.LoadLabClient client, WorkRequest request, CancellationToken cancellationToken)
    {
        using var call = client.ServerStream(request, cancellationToken: cancellationToken);
        return await call.ResponseStream.ReadAllAsync(cancellationToken).Select(r => r.Sequence).ToArrayAsync(cancellationToken);
    }
}

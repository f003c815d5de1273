using Google.Protobuf;
using Grpc.Core;
using GrpcLoadLab.Common;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Hosting;

namespace GrpcLoadLab.Server.Tests.Functional;

/// <summary>
/// The limits against abusive clients: messages too large either way fail with RESOURCE_EXHAUSTED, bytes that are not
/// HTTP/2 cost the sender its connection, and through all of it the instance keeps serving everyone else.
/// </summary>
public class LimitTests
{
    /// <summary>HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9113 §6.5.2).</summary>
    private const ushort MaxConcurrentStreamsSetting = 0x3;

    [Fact]
    public async Task A_request_over_the_default_receive_limit_fails_with_resource_exhausted_and_the_next_call_is_served()
    {
        await using var server = await TestServer.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.UnaryAsync(
            new WorkRequest { Payload = ByteString.CopyFrom(new byte[ServerOptions.DefaultMessageSize]) },
            cancellationToken: server.Timeout).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        await server.Client.UnaryAsync(new WorkRequest(), cancellationToken: server.Timeout);
        Assert.Equal(1, (await server.GetStatsAsync()).Unary.Completed);
    }

    [Fact]
    public async Task A_compressed_request_that_inflates_beyond_the_receive_limit_fails_with_resource_exhausted()
    {
        await using var server = await TestServer.StartAsync();
        // 64 MiB of zeros compress to about 64 KB: far under the limit on the wire, 16 times over it once inflated.
        var gzip = new Metadata { { "grpc-internal-encoding-request", "gzip" } };

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.UnaryAsync(
            new WorkRequest { Payload = ByteString.CopyFrom(new byte[64 * 1024 * 1024]) }, gzip, cancellationToken: server.Timeout).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        await server.Client.UnaryAsync(new WorkRequest(), gzip, cancellationToken: server.Timeout);
    }

    [Fact]
    public async Task A_stream_message_over_a_configured_receive_limit_fails_with_resource_exhausted()
    {
        const int Limit = 64 * 1024;
        await using var server = await TestServer.StartAsync(configure: o => o.MaxReceiveMessageSize = Limit);
        using var call = server.Client.Bidi(cancellationToken: server.Timeout);
        await call.EchoAsync(new WorkRequest { Payload = ByteString.CopyFrom(new byte[Limit / 2]) }, server.Timeout);

        // The server refuses the message from its length prefix, and may end the call before this write has finished.
        _ = await call.RequestStream.TryWriteAsync(new WorkRequest { Payload = ByteString.CopyFrom(new byte[Limit]) }, server.Timeout);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(server.Timeout));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        await server.WaitForStatsAsync(s => s.InFlight == 0, "the bidi call to end on the server");
        await server.Client.UnaryAsync(new WorkRequest(), cancellationToken: server.Timeout);
    }

    [Fact]
    public async Task A_reply_size_over_the_send_limit_fails_up_front_with_resource_exhausted_and_one_within_it_is_sent()
    {
        await using var server = await TestServer.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.UnaryAsync(
            new WorkRequest { ReplySize = ServerOptions.DefaultMessageSize }, cancellationToken: server.Timeout).ResponseAsync);
        // Just below the limit, room left for the reply's other fields: sent, and accepted by a default client.
        var reply = await server.Client.UnaryAsync(
            new WorkRequest { ReplySize = ServerOptions.DefaultMessageSize - 100 }, cancellationToken: server.Timeout);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("--max-send-message-size", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(ServerOptions.DefaultMessageSize - 100, reply.Payload.Length);
        var stats = await server.GetStatsAsync();
        Assert.Equal(1, stats.Unary.Failed);
        Assert.Equal(1, stats.Unary.Completed);
    }

    [Fact]
    public async Task A_server_stream_asking_for_replies_over_a_configured_send_limit_fails_before_any_reply()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.MaxSendMessageSize = 1024);

        using var call = server.Client.ServerStream(new WorkRequest { ReplyCount = 3, ReplySize = 1024 }, cancellationToken: server.Timeout);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(server.Timeout));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(0, (await server.GetStatsAsync()).ServerStream.MessagesSent);
    }

    [Fact]
    public async Task Garbage_bytes_cost_the_sender_its_connection_and_other_clients_are_still_served()
    {
        await using var server = await TestServer.StartAsync();
        using var garbage = await RawHttp2Connection.ConnectAsync(server.Port, server.Timeout);

        await WriteUntilRefusedAsync(garbage, Garbage(64 * 1024), server.Timeout);
        await garbage.ReadUntilClosedAsync(server.Timeout);

        // The test's own client, connected before, and a call after: both served.
        await server.Client.UnaryAsync(new WorkRequest(), cancellationToken: server.Timeout);
        Assert.Equal(1, (await server.GetStatsAsync()).Unary.Completed);
    }

    [Fact]
    public async Task Garbage_after_the_http2_preface_ends_that_connection_with_goaway_and_other_clients_are_still_served()
    {
        await using var server = await TestServer.StartAsync();
        using var garbage = await RawHttp2Connection.ConnectAsync(server.Port, server.Timeout);
        await garbage.WriteAsync(RawHttp2Connection.Start(), server.Timeout);

        await WriteUntilRefusedAsync(garbage, Garbage(64 * 1024), server.Timeout);
        var frames = new List<Http2Frame>();
        while (await garbage.ReadFrameAsync(server.Timeout) is { } frame)
        {
            frames.Add(frame);
        }

        Assert.Contains(frames, f => f.Type == Http2Frame.GoAwayType);
        await server.Client.UnaryAsync(new WorkRequest(), cancellationToken: server.Timeout);
        Assert.Equal(1, (await server.GetStatsAsync()).Unary.Completed);
    }

    [Fact]
    public async Task A_connection_beyond_the_connection_limit_is_closed_and_the_others_keep_working()
    {
        // The test's own client holds the first connection.
        await using var server = await TestServer.StartAsync(configure: o => o.MaxConcurrentConnections = 2);
        using var second = await RawHttp2Connection.ConnectAsync(server.Port, server.Timeout);
        await second.WriteAsync(RawHttp2Connection.Start(), server.Timeout);
        // The server's SETTINGS: the second connection was accepted, and is counted, before the third one arrives.
        Assert.Equal(Http2Frame.SettingsType, (await second.ReadFrameAsync(server.Timeout))?.Type);

        using var third = await RawHttp2Connection.ConnectAsync(server.Port, server.Timeout);
        await WriteUntilRefusedAsync(third, RawHttp2Connection.Start(), server.Timeout);

        Assert.Null(await third.ReadFrameAsync(server.Timeout));
        await server.Client.UnaryAsync(new WorkRequest(), cancellationToken: server.Timeout);
    }

    [Fact]
    public async Task The_server_announces_its_streams_per_connection_limit()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.MaxStreamsPerConnection = 7);
        using var connection = await RawHttp2Connection.ConnectAsync(server.Port, server.Timeout);

        await connection.WriteAsync(RawHttp2Connection.Start(), server.Timeout);
        var settings = await connection.ReadFrameAsync(server.Timeout);

        Assert.Equal(Http2Frame.SettingsType, settings?.Type);
        Assert.Equal(7u, settings!.Setting(MaxConcurrentStreamsSetting));
    }

    /// <summary>The same bytes on every run: a failure can be replayed.</summary>
    private static byte[] Garbage(int length)
    {
        var bytes = new byte[length];
        new Random(20231010).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Writes the bytes; the server may close the connection before it has read them all, which is fine.</summary>
    private static async Task WriteUntilRefusedAsync(RawHttp2Connection connection, byte[] bytes, CancellationToken cancellationToken)
    {
        try
        {
            await connection.WriteAsync(bytes, cancellationToken);
        }
        catch (IOException)
        {
            // Closed by the server part way: what the test expects it to do.
        }
    }
}

using Google.Protobuf;
using Grpc.Core;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Server.Tests.Functional;

/// <summary>Each call kind returns what its requests asked for, names the instance, and is counted in the stats.</summary>
public class CallKindTests
{
    [Fact]
    public async Task Unary_replies_with_the_size_asked_for_echoes_the_sequence_and_names_the_instance()
    {
        await using var server = await TestServer.StartAsync();

        var reply = await server.Client.UnaryAsync(
            new WorkRequest { Payload = Bytes(100), ReplySize = 1234, Sequence = 42 }, cancellationToken: server.Timeout);

        Assert.Equal(1234, reply.Payload.Length);
        Assert.Equal(42, reply.Sequence);
        Assert.Equal($"server-{server.Port}", reply.InstanceId);
        var stats = await server.GetStatsAsync();
        AssertCounted(stats.Unary, completed: 1, received: 1, sent: 1);
        Assert.Equal(0, stats.InFlight);
    }

    [Fact]
    public async Task A_given_instance_id_names_the_replies_and_the_stats()
    {
        await using var server = await TestServer.StartAsync(instanceId: "lab-a");

        var reply = await server.Client.UnaryAsync(new WorkRequest(), cancellationToken: server.Timeout);

        Assert.Equal("lab-a", reply.InstanceId);
        Assert.Equal("lab-a", (await server.GetStatsAsync()).InstanceId);
    }

    [Fact]
    public async Task ServerStream_sends_reply_count_replies_indexed_from_zero()
    {
        await using var server = await TestServer.StartAsync();

        using var call = server.Client.ServerStream(
            new WorkRequest { ReplyCount = 5, ReplySize = 64, Sequence = 99 }, cancellationToken: server.Timeout);
        var replies = await call.ResponseStream.ReadAllAsync(server.Timeout).ToListAsync(server.Timeout);

        Assert.Equal([0L, 1L, 2L, 3L, 4L], replies.Select(r => r.Sequence));
        Assert.All(replies, r => Assert.Equal(64, r.Payload.Length));
        Assert.All(replies, r => Assert.Equal($"server-{server.Port}", r.InstanceId));
        AssertCounted((await server.GetStatsAsync()).ServerStream, completed: 1, received: 1, sent: 5);
    }

    [Fact]
    public async Task ServerStream_with_reply_count_zero_ends_cleanly_with_no_replies()
    {
        await using var server = await TestServer.StartAsync();

        using var call = server.Client.ServerStream(new WorkRequest { ReplyCount = 0 }, cancellationToken: server.Timeout);

        Assert.Empty(await call.ResponseStream.ReadAllAsync(server.Timeout).ToListAsync(server.Timeout));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        AssertCounted((await server.GetStatsAsync()).ServerStream, completed: 1, received: 1, sent: 0);
    }

    [Fact]
    public async Task ClientStream_counts_the_messages_and_bytes_it_received_and_replies_as_the_last_request_asks()
    {
        await using var server = await TestServer.StartAsync();
        WorkRequest[] requests =
        [
            new() { Payload = Bytes(10), ReplySize = 1, Sequence = 1 },
            new() { Payload = Bytes(20), ReplySize = 2, Sequence = 2 },
            new() { Payload = Bytes(30), ReplySize = 77, Sequence = 3 },
        ];

        using var call = server.Client.ClientStream(cancellationToken: server.Timeout);
        foreach (var request in requests)
        {
            await call.RequestStream.WriteAsync(request, server.Timeout);
        }

        await call.RequestStream.CompleteAsync();
        var reply = await call;

        Assert.Equal(3, reply.MessagesReceived);
        Assert.Equal(60, reply.BytesReceived);
        Assert.Equal(77, reply.Payload.Length);
        Assert.Equal(3, reply.Sequence);
        Assert.Equal($"server-{server.Port}", reply.InstanceId);
        AssertCounted((await server.GetStatsAsync()).ClientStream, completed: 1, received: 3, sent: 1);
    }

    [Fact]
    public async Task Bidi_echoes_each_message_with_its_sequence()
    {
        await using var server = await TestServer.StartAsync();

        using var call = server.Client.Bidi(cancellationToken: server.Timeout);
        for (var sequence = 1; sequence <= 4; sequence++)
        {
            var reply = await call.EchoAsync(new WorkRequest { ReplySize = sequence * 10, Sequence = sequence }, server.Timeout);

            Assert.Equal(sequence, reply.Sequence);
            Assert.Equal(sequence * 10, reply.Payload.Length);
            Assert.Equal($"server-{server.Port}", reply.InstanceId);
        }

        Assert.Equal(StatusCode.OK, (await call.CompleteAsync(server.Timeout)).StatusCode);
        AssertCounted((await server.GetStatsAsync()).Bidi, completed: 1, received: 4, sent: 4);
    }

    private static ByteString Bytes(int count) => ByteString.CopyFrom(new byte[count]);

    private static void AssertCounted(CallKindStats stats, int completed, int received, int sent)
    {
        Assert.Equal(completed, stats.Completed);
        Assert.Equal(0, stats.Failed);
        Assert.Equal(0, stats.Cancelled);
        Assert.Equal(received, stats.MessagesReceived);
        Assert.Equal(sent, stats.MessagesSent);
    }
}

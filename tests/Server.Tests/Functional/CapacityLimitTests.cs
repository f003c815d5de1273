using Grpc.Core;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Server.Tests.Functional;

/// <summary>
/// The capacity limit: calls beyond the slots wait in the queue, oldest first, and beyond the queue fail fast with
/// RESOURCE_EXHAUSTED. Open bidi streams hold the slots: a stream keeps its slot until the test ends it, so no
/// timing decides which call holds what.
/// </summary>
public class CapacityLimitTests
{
    [Fact]
    public async Task A_call_beyond_the_slots_and_the_queue_fails_fast_with_resource_exhausted_and_is_counted()
    {
        await using var server = await TestServer.StartAsync(capacity: 2, queueLimit: 1);
        using var first = server.Client.Bidi(cancellationToken: server.Timeout);
        using var second = server.Client.Bidi(cancellationToken: server.Timeout);
        await server.WaitForStatsAsync(s => s.InFlight == 2, "two calls holding the two slots");
        using var third = server.Client.Bidi(cancellationToken: server.Timeout);
        await server.WaitForStatsAsync(s => s.Queued == 1, "a third call waiting in the queue");

        // Had it queued, it would wait for the held slots until the test times out.
        var rejected = await Assert.ThrowsAsync<RpcException>(() =>
            server.Client.UnaryAsync(new WorkRequest(), cancellationToken: server.Timeout).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, rejected.StatusCode);
        var full = await server.GetStatsAsync();
        Assert.Equal(1, full.Rejected);
        Assert.Equal(3, full.InFlight);
        Assert.Equal(1, full.Queued);
        Assert.Equal(0, full.Unary.Completed + full.Unary.Failed + full.Unary.Cancelled);

        foreach (var call in new[] { first, second, third })
        {
            Assert.Equal(StatusCode.OK, (await call.CompleteAsync(server.Timeout)).StatusCode);
        }

        var drained = await server.GetStatsAsync();
        Assert.Equal(0, drained.InFlight);
        Assert.Equal(0, drained.Queued);
        Assert.Equal(3, drained.Bidi.Completed);
        Assert.Equal(1, drained.Rejected);
    }

    [Fact]
    public async Task A_queue_limit_of_zero_rejects_as_soon_as_the_slots_are_full()
    {
        await using var server = await TestServer.StartAsync(capacity: 1, queueLimit: 0);
        using var holder = server.Client.Bidi(cancellationToken: server.Timeout);
        await server.WaitForStatsAsync(s => s.InFlight == 1, "a call holding the slot");

        var rejected = await Assert.ThrowsAsync<RpcException>(() =>
            server.Client.UnaryAsync(new WorkRequest(), cancellationToken: server.Timeout).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, rejected.StatusCode);
        Assert.Equal(1, (await server.GetStatsAsync()).Rejected);
        Assert.Equal(StatusCode.OK, (await holder.CompleteAsync(server.Timeout)).StatusCode);
        // The slot is free again: the next call is served.
        await server.Client.UnaryAsync(new WorkRequest(), cancellationToken: server.Timeout);
        var stats = await server.GetStatsAsync();
        Assert.Equal(1, stats.Unary.Completed);
        Assert.Equal(0, stats.InFlight);
    }

    [Fact]
    public async Task Queued_calls_are_served_oldest_first_once_the_slot_frees()
    {
        await using var server = await TestServer.StartAsync(capacity: 1, queueLimit: 3);
        using var holder = server.Client.Bidi(cancellationToken: server.Timeout);
        await server.WaitForStatsAsync(s => s.InFlight == 1, "a call holding the slot");
        var waiting = new List<AsyncDuplexStreamingCall<WorkRequest, WorkReply>>();
        for (var sequence = 1; sequence <= 3; sequence++)
        {
            var call = server.Client.Bidi(cancellationToken: server.Timeout);
            waiting.Add(call);
            // Sent now, echoed once the call has a slot: the echo tells when it was served.
            await call.RequestStream.WriteAsync(new WorkRequest { Sequence = sequence }, server.Timeout);
            await server.WaitForStatsAsync(s => s.Queued == sequence, $"call {sequence} in the queue");
        }

        var echoes = waiting.Select(c => c.ResponseStream.MoveNext(server.Timeout)).ToList();
        Assert.Equal(StatusCode.OK, (await holder.CompleteAsync(server.Timeout)).StatusCode);

        for (var i = 0; i < waiting.Count; i++)
        {
            // Each served call keeps the only slot until it ends, so the first echo among the rest is the next one's.
            var firstEcho = await Task.WhenAny(echoes.Skip(i));
            Assert.Same(echoes[i], firstEcho);
            Assert.True(await firstEcho);
            Assert.Equal(i + 1, waiting[i].ResponseStream.Current.Sequence);
            Assert.Equal(StatusCode.OK, (await waiting[i].CompleteAsync(server.Timeout)).StatusCode);
            waiting[i].Dispose();
        }

        var stats = await server.GetStatsAsync();
        Assert.Equal(4, stats.Bidi.Completed);
        Assert.Equal(0, stats.InFlight);
        Assert.Equal(0, stats.Rejected);
    }
}

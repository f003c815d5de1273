using Grpc.Core;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Services;

namespace GrpcLoadLab.Server.Tests.Functional;

/// <summary>
/// Deadlines and client cancellations stop the work on the server: the call leaves the in-flight count and is counted
/// as cancelled. The work asked for outlasts the test's patience, so a server that ignored the cancellation could not
/// pass by finishing it (each server here allows an hour of work per call, above the default --max-work).
/// </summary>
public class CancellationTests
{
    private static readonly long LongerThanTheTestMicros = (long)(TestServer.Patience * 10).TotalMicroseconds;

    [Fact]
    public async Task A_deadline_shorter_than_the_delay_ends_with_deadline_exceeded_and_the_call_counted_cancelled()
    {
        await using var server = await StartAsync();

        var stats = await PastDeadlineCall.SendAsync(server, new WorkRequest { DelayMicros = LongerThanTheTestMicros });

        PastDeadlineCall.AssertEveryCallCancelled(stats.Unary);
        Assert.Equal(0, stats.InFlight);
    }

    [Fact]
    public async Task A_deadline_stops_the_cpu_spin()
    {
        await using var server = await StartAsync();

        var stats = await PastDeadlineCall.SendAsync(server, new WorkRequest { CpuMicros = LongerThanTheTestMicros });

        PastDeadlineCall.AssertEveryCallCancelled(stats.Unary);
        Assert.Equal(0, stats.InFlight);
    }

    [Fact]
    public async Task Cancelling_a_server_stream_ends_it_on_the_server()
    {
        await using var server = await StartAsync();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(server.Timeout);
        using var call = server.Client.ServerStream(
            new WorkRequest { ReplyCount = WorkLimits.MaxReplyCount, DelayMicros = 10_000 }, cancellationToken: cancel.Token);
        Assert.True(await call.ResponseStream.MoveNext(server.Timeout));

        await cancel.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(server.Timeout));
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        await AssertCancelledOnServerAsync(server, s => s.ServerStream);
    }

    [Fact]
    public async Task Cancelling_a_bidi_stream_ends_it_on_the_server()
    {
        await using var server = await StartAsync();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(server.Timeout);
        using var call = server.Client.Bidi(cancellationToken: cancel.Token);
        await call.EchoAsync(new WorkRequest { Sequence = 1 }, server.Timeout);

        await cancel.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(server.Timeout));
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        await AssertCancelledOnServerAsync(server, s => s.Bidi);
    }

    [Fact]
    public async Task A_deadline_that_passes_in_the_queue_frees_the_queue_place()
    {
        await using var server = await TestServer.StartAsync(capacity: 1, queueLimit: 1);
        using var holder = server.Client.Bidi(cancellationToken: server.Timeout);
        await server.WaitForStatsAsync(s => s.InFlight == 1, "a call holding the slot");

        var stats = await PastDeadlineCall.SendAsync(server, new WorkRequest());

        PastDeadlineCall.AssertEveryCallCancelled(stats.Unary);
        Assert.Equal(1, stats.InFlight);
        Assert.Equal(0, stats.Queued);
        Assert.Equal(0, stats.Rejected);
        Assert.Equal(StatusCode.OK, (await holder.CompleteAsync(server.Timeout)).StatusCode);
    }

    /// <summary>
    /// Waits until the server has seen the call end (the client may learn of it first, and an idle server shows no
    /// call in flight before the call arrives too), then checks that it was counted as cancelled.
    /// </summary>
    private static async Task AssertCancelledOnServerAsync(TestServer server, Func<InstanceStats, CallKindStats> kind)
    {
        var counters = kind(await server.WaitForStatsAsync(
            s => s.InFlight == 0 && Ended(kind(s)) > 0, "the cancelled call to end on the server"));
        Assert.Equal(1, counters.Cancelled);
        Assert.Equal(0, counters.Completed);
        Assert.Equal(0, counters.Failed);
    }

    private static long Ended(CallKindStats counters) => counters.Completed + counters.Failed + counters.Cancelled;

    private static Task<TestServer> StartAsync() => TestServer.StartAsync(configure: o => o.MaxWork = TimeSpan.FromHours(1));
}

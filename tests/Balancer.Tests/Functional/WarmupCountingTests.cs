using Grpc.Core;
using Grpc.Net.Client;
using GrpcLoadLab.Balancer.Tracking;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Balancer.Tests.Functional;

/// <summary>
/// The attempts of calls started in a <see cref="WarmupScope"/> are counted apart, from their pick to their end: a
/// reading without the warm-up has none of them, whatever they ended with and whenever they ended.
/// </summary>
public class WarmupCountingTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_warm_ups_attempts_are_left_out_of_the_measured_counts_even_a_stream_that_ends_after_it()
    {
        await using var fleet = await InProcessFleet.StartAsync(configure: (_, options) => options.AllowFaults = true);
        using var balanced = BalancedChannelFactory.Create(fleet.StaticTarget);
        var client = new LoadLab.LoadLabClient(balanced.Channel);
        using var limit = new CancellationTokenSource(Limit);

        AsyncServerStreamingCall<WorkReply> stream;
        using (WarmupScope.Enter(warmup: true))
        {
            stream = client.ServerStream(new WorkRequest { ReplyCount = 3 }, cancellationToken: limit.Token);
            Assert.True(await stream.ResponseStream.MoveNext(limit.Token));
            await SetFaultAsync(fleet, new FaultRequest { FailureRatio = 1, FailureStatus = (int)StatusCode.Unavailable }, limit.Token);
            for (var i = 0; i < 5; i++)
            {
                var failed = await Assert.ThrowsAsync<RpcException>(() => client.UnaryAsync(new WorkRequest(), cancellationToken: limit.Token).ResponseAsync);
                Assert.Equal(StatusCode.Unavailable, failed.StatusCode);
            }
        }

        await SetFaultAsync(fleet, new FaultRequest(), limit.Token);
        for (var i = 0; i < 3; i++)
        {
            await client.UnaryAsync(new WorkRequest(), cancellationToken: limit.Token);
        }

        // The warm-up's stream ends now, outside its scope: it still counts where it started.
        while (await stream.ResponseStream.MoveNext(limit.Token))
        {
        }

        stream.Dispose();

        var measured = Assert.Single(balanced.Endpoints.Snapshot(includeWarmup: false));
        Assert.Equal((3L, 3L, 0L, 0L, 0L), (measured.Picks, measured.Succeeded, measured.Failed, measured.Abandoned, measured.InFlight));
        var all = Assert.Single(balanced.Endpoints.Snapshot());
        Assert.Equal((9L, 4L, 0L), (all.Picks, all.Succeeded, all.Abandoned));
        Assert.Equal(5, all.FailedByStatus[StatusCode.Unavailable]);
    }

    [Fact]
    public async Task The_retries_of_a_warm_up_call_are_warm_up_attempts_too()
    {
        await using var fleet = await InProcessFleet.StartAsync(configure: (_, options) => options.AllowFaults = true);
        using var balanced = BalancedChannelFactory.Create(fleet.StaticTarget, new BalancerOptions { Retry = RetryMode.Retry });
        var client = new LoadLab.LoadLabClient(balanced.Channel);
        using var limit = new CancellationTokenSource(Limit);

        // Every second call fails UNAVAILABLE (the server spreads a ratio by a counter): each warm-up call is retried
        // at most once, and ends OK.
        await SetFaultAsync(fleet, new FaultRequest { FailureRatio = 0.5, FailureStatus = (int)StatusCode.Unavailable }, limit.Token);
        using (WarmupScope.Enter(warmup: true))
        {
            for (var i = 0; i < 4; i++)
            {
                await client.UnaryAsync(new WorkRequest(), cancellationToken: limit.Token);
            }
        }

        var all = Assert.Single(balanced.Endpoints.Snapshot());
        Assert.True(all.RetryAttempts > 0, "no warm-up call was retried");
        Assert.Equal(4 + all.RetryAttempts, all.Picks);
        var measured = Assert.Single(balanced.Endpoints.Snapshot(includeWarmup: false));
        Assert.Equal((0L, 0L, 0L), (measured.Picks, measured.RetryAttempts, measured.Failed));
    }

    [Fact]
    public async Task The_hedges_of_a_warm_up_call_are_warm_up_attempts_too()
    {
        await using var fleet = await InProcessFleet.StartAsync(configure: (_, options) => options.AllowFaults = true);
        using var balanced = BalancedChannelFactory.Create(fleet.StaticTarget, new BalancerOptions { Retry = RetryMode.Hedging, HedgingDelay = TimeSpan.FromMilliseconds(20) });
        var client = new LoadLab.LoadLabClient(balanced.Channel);
        using var limit = new CancellationTokenSource(Limit);

        // Every call waits 300 ms at the server, long past the hedging delay: each warm-up call is hedged, from a timer.
        await SetFaultAsync(fleet, new FaultRequest { ExtraDelayMicros = 300_000 }, limit.Token);
        using (WarmupScope.Enter(warmup: true))
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.UnaryAsync(new WorkRequest(), cancellationToken: limit.Token).ResponseAsync));
        }

        var all = Assert.Single(balanced.Endpoints.Snapshot());
        Assert.True(all.RetryAttempts > 0, "no warm-up call was hedged");
        var measured = Assert.Single(balanced.Endpoints.Snapshot(includeWarmup: false));
        Assert.Equal((0L, 0L, 0L), (measured.Picks, measured.RetryAttempts, measured.Succeeded));
    }

    /// <summary>Through a channel of its own: a control call through the balanced channel would be an attempt too.</summary>
    private static async Task SetFaultAsync(InProcessFleet fleet, FaultRequest fault, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress($"http://{fleet.Address()}");
        await new LoadLab.LoadLabClient(channel).SetFaultAsync(fault, cancellationToken: cancellationToken);
    }
}

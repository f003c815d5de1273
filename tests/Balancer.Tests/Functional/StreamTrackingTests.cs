using Grpc.Core;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Balancer.Tests.Functional;

public class StreamTrackingTests
{
    private const int Streams = 30;

    /// <summary>No stream test runs longer than this, whatever happens to the servers.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task An_open_stream_counts_as_outstanding_until_it_ends()
    {
        await using var fleet = await InProcessFleet.StartAsync(3);
        using var balanced = BalancedChannelFactory.Create(fleet.StaticTarget, new BalancerOptions { Policy = BalancingPolicy.LeastOutstanding });
        await Rotation.WaitUntilServedByAsync(balanced.Channel, fleet.InstanceIdOf(0), fleet.InstanceIdOf(1), fleet.InstanceIdOf(2));
        var client = new LoadLab.LoadLabClient(balanced.Channel);
        using var limit = new CancellationTokenSource(Limit);

        // Long streams: each has sent its headers and first reply, which is where the built-in tracker stops counting.
        var calls = new List<AsyncServerStreamingCall<WorkReply>>();
        for (var i = 0; i < Streams; i++)
        {
            var call = client.ServerStream(new WorkRequest { ReplyCount = 1_000, DelayMicros = 50_000 }, cancellationToken: limit.Token);
            Assert.True(await call.ResponseStream.MoveNext(limit.Token));
            calls.Add(call);
        }

        var open = balanced.Endpoints.Snapshot();
        Assert.Equal(Streams, open.Sum(e => e.InFlight));
        // Least outstanding spread the open streams: no instance has more than half of them.
        Assert.All(open, e => Assert.InRange(e.InFlight, 1, Streams / 2));

        foreach (var call in calls)
        {
            call.Dispose();
        }

        var closed = balanced.Endpoints.Snapshot();
        Assert.Equal(0, closed.Sum(e => e.InFlight));
        Assert.Equal(Streams, closed.Sum(e => e.Abandoned));
    }

    [Fact]
    public async Task A_stream_read_to_its_end_counts_as_succeeded()
    {
        await using var fleet = await InProcessFleet.StartAsync(1);
        using var balanced = BalancedChannelFactory.Create(fleet.StaticTarget);
        var client = new LoadLab.LoadLabClient(balanced.Channel);
        using var limit = new CancellationTokenSource(Limit);

        using (var call = client.ServerStream(new WorkRequest { ReplyCount = 3 }, cancellationToken: limit.Token))
        {
            var replies = 0;
            while (await call.ResponseStream.MoveNext(limit.Token))
            {
                replies++;
            }

            Assert.Equal(3, replies);
        }

        var endpoint = Assert.Single(balanced.Endpoints.Snapshot());
        Assert.Equal(0, endpoint.InFlight);
        Assert.Equal(1, endpoint.Succeeded);
    }
}

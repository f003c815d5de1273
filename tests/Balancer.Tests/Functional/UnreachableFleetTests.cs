using Grpc.Core;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Balancer.Tests.Functional;

/// <summary>
/// With every instance down, calls fail UNAVAILABLE, as gRPC says of a channel in transient failure, whatever changed
/// last: a subchannel's failure or an address list that lost one more instance (after which grpc-dotnet's own
/// balancer failed calls INTERNAL "Unknown error.").
/// </summary>
public class UnreachableFleetTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData(BalancingPolicy.RoundRobin)]
    [InlineData(BalancingPolicy.LeastOutstanding)]
    [InlineData(BalancingPolicy.PickFirst)]
    public async Task With_every_instance_down_calls_fail_unavailable_as_instances_leave_the_address_list(BalancingPolicy policy)
    {
        // A registry of three instances that are down from the start: every connection fails, and the channel is in
        // transient failure once each subchannel has tried. Without health checks the registry alone changes the
        // address list, at the moments this test chooses.
        await using var fleet = await InProcessFleet.StartAsync(3);
        for (var i = 0; i < 3; i++)
        {
            await fleet.StopAsync(i);
        }

        using var balanced = BalancedChannelFactory.Create(fleet.FileTarget, new BalancerOptions { Policy = policy, HealthChecks = false });
        var client = new LoadLab.LoadLabClient(balanced.Channel);
        using var limit = new CancellationTokenSource(Limit);
        var failures = new List<Status>();
        while (balanced.Channel.State != ConnectivityState.TransientFailure)
        {
            failures.Add(await FailedCallAsync(client, limit.Token));
            await Task.Delay(10, limit.Token);
        }

        foreach (var listed in (int[][])[[0, 1], [0]])
        {
            fleet.WriteRegistry(listed);
            while (balanced.Endpoints.Snapshot().Count(e => e.InRotation) != listed.Length)
            {
                await Task.Delay(10, limit.Token);
            }

            for (var call = 0; call < 5; call++)
            {
                failures.Add(await FailedCallAsync(client, limit.Token));
            }
        }

        Assert.All(failures, status => Assert.True(status.StatusCode == StatusCode.Unavailable, status.ToString()));
    }

    /// <summary>The status of a call that must fail; it waits while the channel connects, as far as <paramref name="token"/> lets it.</summary>
    private static async Task<Status> FailedCallAsync(LoadLab.LoadLabClient client, CancellationToken token) =>
        (await Assert.ThrowsAsync<RpcException>(() => client.UnaryAsync(new WorkRequest(), cancellationToken: token).ResponseAsync)).Status;
}

using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Balancer.Tests.Functional;

public class PolicyTests
{
    private const int Calls = 3000;

    [Theory]
    [InlineData(1)]
    [InlineData(int.MaxValue)]
    public async Task Round_robin_spreads_calls_evenly_per_call_and_the_counters_agree_with_the_replies(int connectionsPerEndpoint)
    {
        await using var fleet = await InProcessFleet.StartAsync(3);
        using var balanced = BalancedChannelFactory.Create(fleet.FileTarget, new BalancerOptions { MaxConnectionsPerEndpoint = connectionsPerEndpoint });
        await Rotation.WaitUntilServedByAsync(balanced.Channel, fleet.InstanceIdOf(0), fleet.InstanceIdOf(1), fleet.InstanceIdOf(2));
        var before = balanced.Endpoints.Snapshot().ToDictionary(e => e.Address);

        using var load = await UnaryLoad.RunAsync(new LoadLab.LoadLabClient(balanced.Channel), workers: 30, Calls / 30);

        Assert.Empty(load.Failures);
        for (var i = 0; i < 3; i++)
        {
            // Within ±1% of an even share.
            Assert.InRange(load.ServedBy.GetValueOrDefault(fleet.InstanceIdOf(i)), Calls / 3 * 0.99, Calls / 3 * 1.01);

            var address = $"127.0.0.1:{fleet.Ports[i]}";
            var after = balanced.Endpoints.Snapshot().Single(e => e.Address == address);
            Assert.Equal(load.ServedBy.GetValueOrDefault(fleet.InstanceIdOf(i)), after.Succeeded - before[address].Succeeded);
            Assert.Equal(load.ServedBy.GetValueOrDefault(fleet.InstanceIdOf(i)), after.Picks - before[address].Picks);
            Assert.Equal(0, after.InFlight);
            Assert.Equal(0, after.Failed);
            Assert.True(after.InRotation);
        }
    }

    [Fact]
    public async Task Pick_first_sends_every_call_to_one_instance()
    {
        await using var fleet = await InProcessFleet.StartAsync(3);
        using var balanced = BalancedChannelFactory.Create(fleet.StaticTarget, new BalancerOptions { Policy = BalancingPolicy.PickFirst });

        using var load = await UnaryLoad.RunAsync(new LoadLab.LoadLabClient(balanced.Channel), workers: 30, Calls / 30);

        Assert.Empty(load.Failures);
        var (instance, count) = Assert.Single(load.ServedBy);
        Assert.Equal(Calls, count);
        Assert.Equal(Calls, balanced.Endpoints.Snapshot().Single(e => instance == InProcessFleet.InstanceId(PortOf(e.Address))).Succeeded);
    }

    [Fact]
    public async Task Least_outstanding_sends_a_slow_instance_clearly_fewer_calls_than_round_robin()
    {
        // Instance 0 works one call at a time, the others without limit: calls pile up on it.
        await using var fleet = await InProcessFleet.StartAsync(3, (i, o) =>
        {
            if (i == 0)
            {
                o.Capacity = 1;
                o.QueueLimit = 10_000;
            }
        });
        var work = new WorkRequest { DelayMicros = 5_000 };

        var roundRobin = await ShareOfSlowInstanceAsync(fleet, BalancingPolicy.RoundRobin, work);
        var leastOutstanding = await ShareOfSlowInstanceAsync(fleet, BalancingPolicy.LeastOutstanding, work);

        Assert.InRange(roundRobin, 0.32, 0.34);
        Assert.True(leastOutstanding < roundRobin / 2, $"least outstanding gave the slow instance {leastOutstanding:P1} of the calls, round robin {roundRobin:P1}");
    }

    private static async Task<double> ShareOfSlowInstanceAsync(InProcessFleet fleet, BalancingPolicy policy, WorkRequest work)
    {
        using var balanced = BalancedChannelFactory.Create(fleet.StaticTarget, new BalancerOptions { Policy = policy });
        await Rotation.WaitUntilServedByAsync(balanced.Channel, fleet.InstanceIdOf(0), fleet.InstanceIdOf(1), fleet.InstanceIdOf(2));
        using var load = await UnaryLoad.RunAsync(new LoadLab.LoadLabClient(balanced.Channel), workers: 24, callsPerWorker: 25, work);
        Assert.Empty(load.Failures);
        return (double)load.ServedBy.GetValueOrDefault(fleet.InstanceIdOf(0)) / load.Succeeded;
    }

    private static int PortOf(string address) => int.Parse(address[(address.LastIndexOf(':') + 1)..]);
}

using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Balancer.Tests.Functional;

public class GracefulStopTests
{
    [Fact]
    public async Task An_instance_that_drains_during_load_causes_no_failed_call()
    {
        // A drain delay, as the real servers have: clients watching health move away before the instance stops.
        await using var fleet = await InProcessFleet.StartAsync(3, (_, o) => o.DrainDelay = TimeSpan.FromSeconds(1));
        using var balanced = BalancedChannelFactory.Create(fleet.FileTarget);
        await Rotation.WaitUntilServedByAsync(balanced.Channel, fleet.InstanceIdOf(0), fleet.InstanceIdOf(1), fleet.InstanceIdOf(2));
        var draining = $"127.0.0.1:{fleet.Ports[1]}";

        using var load = UnaryLoad.Start(new LoadLab.LoadLabClient(balanced.Channel), new() { DelayMicros = 2_000 }, workers: 16, maxCallsPerWorker: 100_000, TimeSpan.FromMinutes(2));
        await fleet.StopAsync(1);
        var picksAfterStop = balanced.Endpoints.Snapshot().Single(e => e.Address == draining).Picks;
        // Keep the load on a while after the stop, then end it.
        await Rotation.WaitUntilServedByAsync(balanced.Channel, fleet.InstanceIdOf(0), fleet.InstanceIdOf(2));
        load.StopStarting();
        await load.Completion;

        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} calls failed: " + string.Join(" | ", load.Failures.Take(3)));
        Assert.True(load.ServedBy.GetValueOrDefault(fleet.InstanceIdOf(1)) > 0, "the draining instance served calls before it stopped");
        var endpoint = balanced.Endpoints.Snapshot().Single(e => e.Address == draining);
        Assert.False(endpoint.InRotation);
        Assert.Equal(picksAfterStop, endpoint.Picks);
        Assert.Equal(0, endpoint.InFlight);
    }
}

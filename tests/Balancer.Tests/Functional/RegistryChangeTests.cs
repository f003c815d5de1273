using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Balancer.Tests.Functional;

public class RegistryChangeTests
{
    [Fact]
    public async Task A_line_added_to_the_registry_joins_the_rotation_and_a_line_removed_leaves_it()
    {
        await using var fleet = await InProcessFleet.StartAsync(3);
        fleet.WriteRegistry([0, 1]);
        using var balanced = BalancedChannelFactory.Create(fleet.FileTarget);
        await Rotation.WaitUntilServedByAsync(balanced.Channel, fleet.InstanceIdOf(0), fleet.InstanceIdOf(1));

        fleet.WriteRegistry([0, 1, 2]);
        await Rotation.WaitUntilServedByAsync(balanced.Channel, fleet.InstanceIdOf(0), fleet.InstanceIdOf(1), fleet.InstanceIdOf(2));

        fleet.WriteRegistry([1, 2]);
        await Rotation.WaitUntilServedByAsync(balanced.Channel, fleet.InstanceIdOf(1), fleet.InstanceIdOf(2));
        Assert.False(balanced.Endpoints.Snapshot().Single(e => e.Address == $"127.0.0.1:{fleet.Ports[0]}").InRotation);
    }

    [Fact]
    public async Task A_stopped_instance_leaves_the_rotation_and_gets_its_share_back_when_restarted_on_its_port()
    {
        await using var fleet = await InProcessFleet.StartAsync(3);
        using var balanced = BalancedChannelFactory.Create(fleet.FileTarget);
        await Rotation.WaitUntilServedByAsync(balanced.Channel, fleet.InstanceIdOf(0), fleet.InstanceIdOf(1), fleet.InstanceIdOf(2));

        await fleet.StopAsync(2);
        await Rotation.WaitUntilServedByAsync(balanced.Channel, fleet.InstanceIdOf(0), fleet.InstanceIdOf(1));

        await fleet.RestartAsync(2);
        await Rotation.WaitUntilServedByAsync(balanced.Channel, fleet.InstanceIdOf(0), fleet.InstanceIdOf(1), fleet.InstanceIdOf(2));
        using var load = await UnaryLoad.RunAsync(new LoadLab.LoadLabClient(balanced.Channel), workers: 10, callsPerWorker: 30);
        Assert.Empty(load.Failures);
        Assert.Equal(100, load.ServedBy.GetValueOrDefault(fleet.InstanceIdOf(2)));
    }
}

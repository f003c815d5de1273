using Grpc.Net.Client.Balancer;
using GrpcLoadLab.Balancer.Health;
using GrpcLoadLab.Balancer.Tracking;

namespace GrpcLoadLab.Balancer.Tests.Functional;

/// <summary>
/// A server named twice is one endpoint. A list a person wrote (static:, file:) refuses repeats when parsed (see
/// BalancerTargetTests); a resolver's answer that repeats an address (DNS may) is folded, in any spelling, and a
/// registry that gains a repeat while a run goes on leaves the rotation it had.
/// </summary>
public class RepeatedAddressTests
{
    [Fact]
    public async Task A_resolver_answer_that_repeats_a_server_in_any_spelling_is_published_once_as_first_spelled()
    {
        await using var fleet = await InProcessFleet.StartAsync(2);
        var (first, second) = (fleet.Ports[0], fleet.Ports[1]);
        BalancerAddress[] answer =
        [
            new("127.0.0.1", first), new("127.0.0.1", first), new("localhost", first), new("LOCALHOST", first),
            new("127.0.0.1", second), new("localhost", second),
        ];
        var published = new TaskCompletionSource<ResolverResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var resolver = new HealthCheckingResolver(new FixedAnswer(answer), new BalancerOptions(), new EndpointRegistry());

        resolver.Start(result => published.TrySetResult(result));
        var result = await published.Task.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(
            [$"127.0.0.1:{first}", $"127.0.0.1:{second}"],
            result.Addresses!.Select(a => $"{a.EndPoint.Host}:{a.EndPoint.Port}"));
    }

    [Fact]
    public async Task A_static_list_with_a_repeat_through_the_factory_is_refused_before_any_call()
    {
        await using var fleet = await InProcessFleet.StartAsync(1);

        var error = Assert.Throws<BalancerConfigurationException>(() =>
            BalancedChannelFactory.Create($"static:127.0.0.1:{fleet.Ports[0]},localhost:{fleet.Ports[0]}"));

        Assert.Contains("is the same server as item 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registry_that_gains_a_repeat_during_a_run_keeps_the_rotation_it_had()
    {
        await using var fleet = await InProcessFleet.StartAsync(2);
        using var balanced = BalancedChannelFactory.Create(fleet.FileTarget);
        await Rotation.WaitUntilServedByAsync(balanced.Channel, fleet.InstanceIdOf(0), fleet.InstanceIdOf(1));

        File.WriteAllLines(fleet.RegistryPath, [$"127.0.0.1:{fleet.Ports[0]}", $"127.0.0.1:{fleet.Ports[1]}", $"127.0.0.1:{fleet.Ports[1]} "]);
        // A few re-reads of the file (one a second): not a timing assertion, only time for the bad file to be seen.
        await Task.Delay(new BalancerOptions().FileRefreshInterval * 3);

        await Rotation.WaitUntilServedByAsync(balanced.Channel, fleet.InstanceIdOf(0), fleet.InstanceIdOf(1));
    }

    /// <summary>A resolver that answers one list, as a DNS server might.</summary>
    private sealed class FixedAnswer(IReadOnlyList<BalancerAddress> answer) : Resolver
    {
        public override void Start(Action<ResolverResult> listener) => listener(ResolverResult.ForResult(answer));

        public override void Refresh()
        {
        }
    }
}

using Grpc.Core;
using Grpc.Net.Client.Balancer;

namespace GrpcLoadLab.Balancer.Policies;

/// <summary>
/// Wraps a policy built on grpc-dotnet's <see cref="SubchannelsLoadBalancer"/> (round robin, least outstanding) so
/// that a call finding no instance reachable fails UNAVAILABLE, as gRPC's connectivity semantics say of a channel in
/// TRANSIENT_FAILURE, and not INTERNAL.
/// </summary>
/// <remarks>
/// That balancer fails such calls with INTERNAL "Unknown error." when the change that left no subchannel ready or
/// connecting carried no status of its own: the health-checking resolver dropping one more instance while the rest fail
/// to connect is such a change. A kill of every instance then failed a call INTERNAL, a status no server sent, which a
/// retry policy on UNAVAILABLE does not retry.
/// </remarks>
internal sealed class UnreachableAsUnavailableFactory(LoadBalancerFactory policy) : LoadBalancerFactory
{
    public override string Name => policy.Name;

    public override LoadBalancer Create(LoadBalancerOptions options) =>
        policy.Create(new LoadBalancerOptions(new Controller(options.Controller), options.LoggerFactory, options.Configuration));

    /// <summary>Passes everything on to the channel, the pickers of a channel in transient failure wrapped.</summary>
    private sealed class Controller(IChannelControlHelper channel) : IChannelControlHelper
    {
        public Subchannel CreateSubchannel(SubchannelOptions options) => channel.CreateSubchannel(options);

        public void RefreshResolver() => channel.RefreshResolver();

        public void UpdateState(BalancerState state) => channel.UpdateState(
            state.ConnectivityState == ConnectivityState.TransientFailure
                ? new BalancerState(state.ConnectivityState, new UnreachableAsUnavailablePicker(state.Picker))
                : state);
    }
}

using Grpc.Net.Client.Balancer;
using GrpcLoadLab.Balancer.Tracking;

namespace GrpcLoadLab.Balancer.Policies;

/// <summary>Registers the <c>least_outstanding</c> policy; its picks read the channel's own in-flight counters.</summary>
internal sealed class LeastOutstandingBalancerFactory(EndpointRegistry registry) : LoadBalancerFactory
{
    public const string PolicyName = "least_outstanding";

    public override string Name => PolicyName;

    public override LoadBalancer Create(LoadBalancerOptions options) =>
        new LeastOutstandingBalancer(options.Controller, options.LoggerFactory, registry);
}

using Grpc.Net.Client.Balancer;
using GrpcLoadLab.Balancer.Tracking;

namespace GrpcLoadLab.Balancer.Health;

/// <summary>Serves the inner factory's scheme with a <see cref="HealthCheckingResolver"/> around its resolver.</summary>
internal sealed class HealthCheckingResolverFactory(ResolverFactory inner, BalancerOptions options, EndpointRegistry registry)
    : ResolverFactory
{
    public override string Name => inner.Name;

    public override Resolver Create(ResolverOptions resolverOptions) =>
        new HealthCheckingResolver(inner.Create(resolverOptions), options, registry);
}

using Grpc.Net.Client;
using GrpcLoadLab.Balancer.Targets;
using GrpcLoadLab.Balancer.Tracking;

namespace GrpcLoadLab.Balancer;

/// <summary>
/// One <see cref="GrpcChannel"/> whose calls are spread across the target's instances, with the per-endpoint
/// counters of every attempt it sent. Create clients on <see cref="Channel"/>; dispose this when done.
/// </summary>
public sealed class BalancedChannel : IDisposable
{
    private readonly IDisposable _services;

    internal BalancedChannel(GrpcChannel channel, BalancerTarget target, BalancerOptions options, EndpointRegistry endpoints, IDisposable services)
    {
        Channel = channel;
        Target = target;
        Options = options;
        Endpoints = endpoints;
        _services = services;
    }

    public GrpcChannel Channel { get; }

    public BalancerTarget Target { get; }

    public BalancerOptions Options { get; }

    /// <summary>Per-endpoint picks, in flight, successes and failures by status, readable at any moment.</summary>
    public EndpointRegistry Endpoints { get; }

    public void Dispose()
    {
        Channel.Dispose();
        // The service provider owns the resolver and balancer factories the channel used.
        _services.Dispose();
    }
}

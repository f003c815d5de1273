using Grpc.Net.Client.Balancer;
using GrpcLoadLab.Balancer.Tracking;
using Microsoft.Extensions.Logging;

namespace GrpcLoadLab.Balancer.Policies;

/// <summary>grpc-dotnet's subchannel management, with the least-outstanding picker over the ready subchannels.</summary>
internal sealed class LeastOutstandingBalancer(IChannelControlHelper controller, ILoggerFactory loggerFactory, EndpointRegistry registry)
    : SubchannelsLoadBalancer(controller, loggerFactory)
{
    protected override SubchannelPicker CreatePicker(IReadOnlyList<Subchannel> readySubchannels) =>
        new LeastOutstandingPicker(readySubchannels, registry);
}

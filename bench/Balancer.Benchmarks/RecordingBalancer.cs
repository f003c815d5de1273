using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Logging;

namespace GrpcLoadLab.Balancer.Benchmarks;

/// <summary>grpc-dotnet's subchannel management, handing every set of ready subchannels to <paramref name="createPicker"/>.</summary>
internal sealed class RecordingBalancer(
    IChannelControlHelper controller,
    ILoggerFactory loggerFactory,
    Func<IReadOnlyList<Subchannel>, SubchannelPicker> createPicker)
    : SubchannelsLoadBalancer(controller, loggerFactory)
{
    protected override SubchannelPicker CreatePicker(IReadOnlyList<Subchannel> readySubchannels) => createPicker(readySubchannels);
}

using System.Threading.Channels;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Server.Metrics.Timeline;

/// <summary>One watcher's queue of seconds; disposing it stops the seconds coming.</summary>
internal sealed class TimelineWatch(ChannelReader<ServerSecond> seconds, Action stop) : IDisposable
{
    public ChannelReader<ServerSecond> Seconds { get; } = seconds;

    public void Dispose() => stop();
}

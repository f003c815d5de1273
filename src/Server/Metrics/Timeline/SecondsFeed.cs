using System.Threading.Channels;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Server.Metrics.Timeline;

/// <summary>
/// The completed seconds: the last <see cref="KeptSeconds"/> of them, and a bounded queue per watcher that each new
/// second is put into. A watcher that falls behind loses its oldest seconds, never blocks the timeline.
/// </summary>
internal sealed class SecondsFeed
{
    /// <summary>Seconds kept for a watcher that asks for the recent ones: five minutes.</summary>
    public const int KeptSeconds = 300;

    /// <summary>How far a watcher may fall behind the live seconds before it loses the oldest.</summary>
    private const int WatcherLag = 60;

    private readonly Lock _lock = new();
    private readonly ServerSecond[] _kept = new ServerSecond[KeptSeconds];
    private readonly List<Channel<ServerSecond>> _watchers = [];
    private long _published;

    /// <summary>Watches open now: each is an HTTP request the instance is serving.</summary>
    public int Watchers
    {
        get
        {
            lock (_lock)
            {
                return _watchers.Count;
            }
        }
    }

    public void Publish(ServerSecond second)
    {
        lock (_lock)
        {
            _kept[_published++ % KeptSeconds] = second;
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(second);
            }
        }
    }

    /// <summary>
    /// A queue that holds the last <paramref name="recentSeconds"/> completed seconds, oldest first, then every second
    /// completed from now on, with none twice or left out in between; disposing it ends the watch.
    /// </summary>
    public TimelineWatch Watch(int recentSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(recentSeconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(recentSeconds, KeptSeconds);
        var queue = Channel.CreateBounded<ServerSecond>(new BoundedChannelOptions(KeptSeconds + WatcherLag)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_lock)
        {
            for (var index = Math.Max(0, _published - recentSeconds); index < _published; index++)
            {
                queue.Writer.TryWrite(_kept[index % KeptSeconds]);
            }

            _watchers.Add(queue);
        }

        return new TimelineWatch(queue.Reader, () =>
        {
            lock (_lock)
            {
                _watchers.Remove(queue);
            }
        });
    }
}

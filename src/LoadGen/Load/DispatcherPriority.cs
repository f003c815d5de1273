using GrpcLoadLab.LoadGen.Metrics;

namespace GrpcLoadLab.LoadGen.Load;

/// <summary>
/// Decides, second by second, whether the open-model dispatcher sleeps at real-time priority. Real time keeps the
/// schedule while the dispatcher mostly sleeps: a normal thread woken on a core that a server keeps busy waits
/// milliseconds for its turn. But a real-time thread that is often awake (thousands of call starts a second) holds a
/// core against the generator's GC threads and the servers: at 8,000 calls/s it made the generator's GC pauses several
/// times longer (docs/benchmarks.md). So the dispatcher stays real-time only while its awake share stays small.
/// </summary>
internal sealed class DispatcherPriority
{
    /// <summary>Above this share of a second awake, the dispatcher sleeps at normal priority from then on.</summary>
    public const double LeaveRealTimeAbove = 0.10;

    /// <summary>Below this share it returns to real time: apart from the other bound, so that it does not flip every second.</summary>
    public const double ReturnToRealTimeBelow = 0.05;

    private static readonly long Window = Ticks.FromSeconds(1);

    private readonly bool _granted;
    private long _windowStart;
    private long _awake;
    private long _awakeSince;

    /// <param name="granted">Whether this thread may have real-time priority at all (and has it now).</param>
    /// <param name="now">A Stopwatch reading: the thread is awake from then on.</param>
    public DispatcherPriority(bool granted, long now)
    {
        _granted = granted;
        RealTime = granted;
        _windowStart = now;
        _awakeSince = now;
    }

    /// <summary>Whether the thread should be at real-time priority now.</summary>
    public bool RealTime { get; private set; }

    /// <summary>The thread woke at <paramref name="now"/>.</summary>
    public void Woke(long now) => _awakeSince = now;

    /// <summary>The thread goes to sleep at <paramref name="now"/>; true when <see cref="RealTime"/> changed.</summary>
    public bool Sleeping(long now)
    {
        _awake += now - _awakeSince;
        var elapsed = now - _windowStart;
        if (elapsed < Window)
        {
            return false;
        }

        var awakeShare = (double)_awake / elapsed;
        _windowStart = now;
        _awake = 0;
        var realTime = _granted && (RealTime ? awakeShare <= LeaveRealTimeAbove : awakeShare < ReturnToRealTimeBelow);
        var changed = realTime != RealTime;
        RealTime = realTime;
        return changed;
    }
}

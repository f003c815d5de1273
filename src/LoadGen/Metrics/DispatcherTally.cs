using HdrHistogram;

namespace GrpcLoadLab.LoadGen.Metrics;

/// <summary>
/// What the machine did to the open-model dispatcher in one phase: how late each of its sleeps ended, how long it
/// paced at real-time priority, the longest spin it learnt to take. A call that starts late because the machine woke
/// the dispatcher late measures the host (busy cores, a virtual CPU not run), not the generator: a reader of the
/// schedule lag needs the two apart. Written by the dispatcher's thread alone.
/// </summary>
internal sealed class DispatcherTally
{
    private long _pacedTicks;
    private long _realTimeTicks;
    private long _longestSpinTicks;

    /// <summary>Concurrent, so that a stopped run's result can read it while its dispatcher is still ending.</summary>
    public HistogramBase WakeUpLateness { get; } = LatencyHistogram.CreateConcurrent();

    public long PacedTicks => Volatile.Read(ref _pacedTicks);

    public long RealTimeTicks => Volatile.Read(ref _realTimeTicks);

    public long LongestSpinTicks => Volatile.Read(ref _longestSpinTicks);

    /// <summary>A sleep ended <paramref name="lateness"/> ticks after the time it asked for (early counts as on time).</summary>
    public void Woke(long lateness) => WakeUpLateness.RecordClamped(Ticks.ToMicros(Math.Max(lateness, 0)));

    /// <summary>The dispatcher paced the schedule for <paramref name="ticks"/> more, at real-time priority or not.</summary>
    public void Paced(long ticks, bool realTime)
    {
        Volatile.Write(ref _pacedTicks, _pacedTicks + ticks);
        if (realTime)
        {
            Volatile.Write(ref _realTimeTicks, _realTimeTicks + ticks);
        }
    }

    /// <summary>It spins <paramref name="ticks"/> before the next due time.</summary>
    public void Spinning(long ticks)
    {
        if (ticks > _longestSpinTicks)
        {
            Volatile.Write(ref _longestSpinTicks, ticks);
        }
    }
}

using GrpcLoadLab.LoadGen.Metrics;

namespace GrpcLoadLab.LoadGen.Load;

/// <summary>
/// How long the open-model dispatcher spins before a due time, learnt from how late this machine has woken it: it
/// sleeps until that long before the call and spins the rest, so that a wake-up as late as the latest of its recent
/// ones still finds it awake on time. A virtual machine wakes a sleeping thread a few hundred microseconds late, and
/// a virtual CPU left idle is sometimes not run again for milliseconds; bare metal wakes within tens of microseconds,
/// where a fixed spin would waste what the servers could use. The spin is bounded by a share of the gap between
/// calls, so that it never costs more than that share of one core, at any rate.
/// </summary>
internal sealed class WakeUpSpin
{
    /// <summary>The longest spin before a due time: a wake-up later than this is a stall that spinning cannot cover.</summary>
    internal static readonly long MaxSpin = Ticks.FromSeconds(1e-3);

    /// <summary>
    /// The share of the gap between two calls that the dispatcher may spin: its cost in a core at any rate. At 1,000
    /// calls/s it allows 50 µs, at 8,000/s 6 µs: at high rates the dispatcher is awake most of the time anyway.
    /// </summary>
    internal const double SpinShare = 0.05;

    /// <summary>
    /// What a virtual machine usually needs: the spin is at least this until as many wake-ups were measured as are
    /// remembered, so that the first few, on time by chance, do not leave the next ones uncovered.
    /// </summary>
    internal static readonly long InitialSpin = Ticks.FromSeconds(250e-6);

    /// <summary>How many recent wake-ups the spin covers: at 1,000 calls/s the last 64 ms, at 10/s the last 6.4 s.</summary>
    internal const int RememberedWakeUps = 64;

    private readonly long[] _lateness = Enumerable.Repeat(InitialSpin, RememberedWakeUps).ToArray();
    private int _next;
    private int _count;
    private long _latest = InitialSpin;

    /// <summary>How many wake-ups it remembers: at most <see cref="RememberedWakeUps"/>.</summary>
    public int Remembered => _count;

    /// <summary>
    /// The latest of the remembered wake-ups, in Stopwatch ticks past the time the dispatcher asked for (at least
    /// <see cref="InitialSpin"/> until <see cref="RememberedWakeUps"/> were measured).
    /// </summary>
    public long LatestWakeUp => _latest;

    /// <summary>How long to spin before a call due <paramref name="gap"/> ticks after the one before it.</summary>
    public long Before(long gap) => Math.Clamp(LatestWakeUp, 0, Math.Clamp((long)(gap * SpinShare), 0, MaxSpin));

    /// <summary>A sleep ended <paramref name="lateness"/> ticks after the time it asked for.</summary>
    public void Woke(long lateness)
    {
        lateness = Math.Max(lateness, 0);
        var evicted = _lateness[_next];
        _lateness[_next] = lateness;
        _next = (_next + 1) % RememberedWakeUps;
        _count = Math.Min(_count + 1, RememberedWakeUps);
        if (lateness >= _latest)
        {
            _latest = lateness;
        }
        else if (evicted == _latest)
        {
            // The latest one left the window: look again (64 values, once in a while).
            _latest = _lateness.Max();
        }
    }
}

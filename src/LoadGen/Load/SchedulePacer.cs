using System.Diagnostics;
using GrpcLoadLab.LoadGen.Metrics;

namespace GrpcLoadLab.LoadGen.Load;

/// <summary>
/// Brings a dedicated thread to each due time of a schedule, one after the other: it sleeps precisely (see
/// <see cref="PreciseWait"/>), spins the last stretch that the machine's recent wake-ups call for (see
/// <see cref="WakeUpSpin"/>), and keeps real-time priority while the thread is mostly asleep (see
/// <see cref="DispatcherPriority"/>). Create it on the thread that waits.
/// </summary>
internal sealed class SchedulePacer
{
    private readonly DispatcherPriority _priority;
    private readonly WakeUpSpin _wakeUps;
    private readonly DispatcherTally? _tally;
    private readonly Action<long> _woke;
    private bool _realTime;
    private long _previousDue;
    private long _accountedUntil;

    /// <param name="wakeUps">How late the machine wakes the thread: shared by the schedules a run paces one after the other.</param>
    /// <param name="begin">The schedule's start, a Stopwatch reading: the first gap is measured from it.</param>
    /// <param name="tally">Where the phase keeps what the machine did to the thread; none for a bare loop.</param>
    public SchedulePacer(WakeUpSpin wakeUps, long begin, DispatcherTally? tally = null)
    {
        _realTime = PreciseWait.PrepareThread();
        var now = Stopwatch.GetTimestamp();
        _priority = new DispatcherPriority(_realTime, now);
        _wakeUps = wakeUps;
        _tally = tally;
        _woke = Woke;
        _previousDue = begin;
        _accountedUntil = now;
    }

    /// <summary>Returns at <paramref name="due"/> (a Stopwatch reading), or false when a stop was requested first.</summary>
    public bool WaitUntil(long due, CancellationToken stop)
    {
        // Awake since the last due time (a call started), at the priority held then.
        Paced();
        if (_priority.Sleeping(_accountedUntil) && PreciseWait.SetRealTime(_priority.RealTime))
        {
            _realTime = _priority.RealTime;
        }

        var spin = _wakeUps.Before(due - _previousDue);
        _tally?.Spinning(spin);
        var reached = OpenLoop.SleepUntil(due, stop, spin, _woke);
        // Asleep and spinning until it, at the priority chosen above.
        Paced();
        if (!reached)
        {
            return false;
        }

        _previousDue = due;
        _priority.Woke(_accountedUntil);
        return true;
    }

    /// <summary>Tells the tally the time since the last account, at the priority held: the thread paced it.</summary>
    private void Paced()
    {
        var now = Stopwatch.GetTimestamp();
        _tally?.Paced(now - _accountedUntil, _realTime);
        _accountedUntil = now;
    }

    private void Woke(long lateness)
    {
        _wakeUps.Woke(lateness);
        _tally?.Woke(lateness);
    }
}

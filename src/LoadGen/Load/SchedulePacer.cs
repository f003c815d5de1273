using System.Diagnostics;

namespace GrpcLoadLab.LoadGen.Load;

/// <summary>
/// Brings a dedicated thread to each due time of a schedule, one after the other: it sleeps precisely (see
/// <see cref="PreciseWait"/>), spins the last stretch that the machine's recent wake-ups call for (see
/// <see cref="WakeUpSpin"/>), and keeps real-time priority while the thread is mostly asleep (see
/// <see cref="DispatcherPriority"/>). Create it on the thread that waits.
/// </summary>
internal sealed class SchedulePacer
{
    private readonly DispatcherPriority _priority = new(PreciseWait.PrepareThread(), Stopwatch.GetTimestamp());
    private readonly WakeUpSpin _wakeUps;
    private long _previousDue;

    /// <param name="wakeUps">How late the machine wakes the thread: shared by the schedules a run paces one after the other.</param>
    /// <param name="begin">The schedule's start, a Stopwatch reading: the first gap is measured from it.</param>
    public SchedulePacer(WakeUpSpin wakeUps, long begin)
    {
        _wakeUps = wakeUps;
        _previousDue = begin;
    }

    /// <summary>Returns at <paramref name="due"/> (a Stopwatch reading), or false when a stop was requested first.</summary>
    public bool WaitUntil(long due, CancellationToken stop)
    {
        if (_priority.Sleeping(Stopwatch.GetTimestamp()))
        {
            _ = PreciseWait.SetRealTime(_priority.RealTime);
        }

        if (!OpenLoop.SleepUntil(due, stop, _wakeUps.Before(due - _previousDue), _wakeUps))
        {
            return false;
        }

        _previousDue = due;
        _priority.Woke(Stopwatch.GetTimestamp());
        return true;
    }
}

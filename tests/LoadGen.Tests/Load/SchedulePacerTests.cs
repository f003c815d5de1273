using System.Diagnostics;
using GrpcLoadLab.LoadGen.Load;
using GrpcLoadLab.LoadGen.Metrics;

namespace GrpcLoadLab.LoadGen.Tests.Load;

/// <summary>What the pacer tells its phase about the dispatcher: the figures beside the schedule lag in result.json.</summary>
public class SchedulePacerTests
{
    private const int Calls = 50;

    private static readonly long Gap = Ticks.FromSeconds(0.002);

    [Fact]
    public void The_pacer_tells_the_phase_how_late_its_sleeps_ended_how_long_it_paced_at_which_priority_and_its_spin()
    {
        var tally = new DispatcherTally();
        var reachedEveryDue = true;
        var constructed = 0L;
        var lastDue = 0L;
        // A thread of its own: the pacer puts its thread at real-time priority, which no test-runner thread may keep.
        var dispatcher = new Thread(() =>
        {
            // The schedule starts a little ahead, so that the first calls are not already due when the pacer is ready.
            var begin = Stopwatch.GetTimestamp() + Gap;
            var pacer = new SchedulePacer(new WakeUpSpin(), begin, tally);
            constructed = Stopwatch.GetTimestamp();
            for (var call = 1; call <= Calls; call++)
            {
                lastDue = begin + (call * Gap);
                reachedEveryDue &= pacer.WaitUntil(lastDue, CancellationToken.None) && Stopwatch.GetTimestamp() >= lastDue;
            }
        });
        var started = Stopwatch.GetTimestamp();
        dispatcher.Start();
        dispatcher.Join();
        var ended = Stopwatch.GetTimestamp();

        Assert.True(reachedEveryDue);
        // One sleep before each due call at most (a 2 ms gap is one sleep; a call reached late needs none, and a sleep
        // over which a GC paused the process is not told).
        Assert.InRange(tally.WakeUpLateness.TotalCount, 1, Calls);
        // Paced from the pacer's start until the last call was due, within the thread's life.
        Assert.InRange(tally.PacedTicks, lastDue - constructed, ended - started);
        // Under a second, the priority is never reconsidered: real time all along where the machine grants it, else never.
        Assert.Equal(PreciseWait.RealTimeGranted() ? tally.PacedTicks : 0, tally.RealTimeTicks);
        // Until 64 wake-ups are measured the spin covers 250 µs, bounded by 5 % of the 2 ms gap: 100 µs before each call.
        Assert.Equal((long)(Gap * WakeUpSpin.SpinShare), tally.LongestSpinTicks);
    }
}

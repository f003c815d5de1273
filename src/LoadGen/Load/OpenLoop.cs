using System.Diagnostics;
using GrpcLoadLab.LoadGen.Calls;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Load;

/// <summary>
/// Runs an open-model phase on a dedicated thread: sleeps precisely until each call is due and starts it there,
/// without waiting for earlier calls or for a thread-pool thread. A call due while
/// <see cref="Scenario.MaxOutstanding"/> are in flight waits for one to end and starts late — its latency still counts
/// from its due time, so a stall shows in full, as wrk2 counts it — and one that cannot start within its deadline is
/// dropped and counted.
/// </summary>
internal static class OpenLoop
{
    /// <summary>Longest single sleep, so that a stop request is seen within this long even at low rates.</summary>
    private static readonly long MaxSleep = Ticks.FromSeconds(0.1);

    /// <param name="slots">The run's bound on calls in flight, shared by its open-model phases.</param>
    /// <param name="arrivals">When the phase's calls are due, in seconds from its start: the phase's schedule, or an agent's share of it.</param>
    /// <param name="wakeUps">How late the machine wakes the dispatcher: the run's, shared by its open-model phases one after the other.</param>
    public static Task RunAsync(OpenPhase phase, IEnumerable<double> arrivals, PhaseRecorder phaseRecorder, CallDriver driver, RunRecorder recorder, SemaphoreSlim slots, WakeUpSpin wakeUps, TimeSpan deadline, CancellationToken stop)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Dispatch(phase, arrivals, phaseRecorder, driver, recorder, slots, wakeUps, deadline, stop);
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "loadgen open-model dispatcher",
            Priority = ThreadPriority.AboveNormal,
        };
        thread.Start();
        return done.Task;
    }

    private static void Dispatch(OpenPhase phase, IEnumerable<double> arrivals, PhaseRecorder phaseRecorder, CallDriver driver, RunRecorder recorder, SemaphoreSlim slots, WakeUpSpin wakeUps, TimeSpan deadline, CancellationToken stop)
    {
        var begin = phaseRecorder.Begin;
        var pacer = new SchedulePacer(wakeUps, begin, phaseRecorder.Dispatcher);
        try
        {
            foreach (var dueSeconds in arrivals)
            {
                var due = begin + Ticks.FromSeconds(dueSeconds);
                if (!pacer.WaitUntil(due, stop))
                {
                    return;
                }

                if (!slots.Wait(StartWithin(due, deadline), stop))
                {
                    recorder.CallDropped(phaseRecorder);
                    continue;
                }

                // Started here, on time, up to its first await (the balancer's pick, the HTTP/2 headers handed to the
                // connection's writer: microseconds): handing it to the thread pool instead made every start wait for
                // a pool thread to wake, and after an idle gap the pool's threads sleep (issue 16).
                _ = RunAndFreeSlotAsync(driver, phaseRecorder, due, slots, recorder);
            }

            SleepUntil(begin + Ticks.FromSeconds(phase.PlannedDuration.TotalSeconds), stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped while waiting for a slot.
        }
    }

    /// <summary>How long a due call may still wait for a slot: until its deadline from its due time.</summary>
    private static TimeSpan StartWithin(long due, TimeSpan deadline)
    {
        var left = deadline - Stopwatch.GetElapsedTime(due);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    internal static async Task RunAndFreeSlotAsync(CallDriver driver, PhaseRecorder phaseRecorder, long due, SemaphoreSlim slots, RunRecorder recorder)
    {
        try
        {
            await driver.RunAsync(phaseRecorder, due, worker: 0);
        }
        catch (Exception e)
        {
            // Nobody awaits this task: an exception here would vanish, so it is counted against the run's validity.
            recorder.GeneratorFailed(e);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>
    /// Sleeps until <paramref name="spin"/> ticks before <paramref name="timestamp"/>, then spins until it: a sleeping
    /// thread wakes late (the kernel's and a virtual machine's wake-up), a spinning one is awake on time. False when a
    /// stop was requested first.
    /// </summary>
    /// <param name="woke">Told how late each sleep ended (in ticks) when given, but of a sleep over which the generator's GC paused it.</param>
    internal static bool SleepUntil(long timestamp, CancellationToken stop, long spin = 0, Action<long>? woke = null)
    {
        var spinFrom = timestamp - spin;
        while (true)
        {
            if (stop.IsCancellationRequested)
            {
                return false;
            }

            var now = Stopwatch.GetTimestamp();
            if (now >= spinFrom)
            {
                break;
            }

            // Never longer than MaxSleep at once, so that a stop is seen soon even at low rates.
            var wakeAt = Math.Min(spinFrom, now + MaxSleep);
            var pausedBefore = GC.GetTotalPauseDuration();
            PreciseWait.Until(wakeAt);
            // A sleeping thread returns to managed code only once a GC of the generator's own has ended: over a sleep
            // with a GC pause, the machine's lateness cannot be told from the pause's, and no spin covers a pause (a
            // spinning thread stops for it too). Such a sleep is not told.
            if (GC.GetTotalPauseDuration() == pausedBefore)
            {
                woke?.Invoke(Stopwatch.GetTimestamp() - wakeAt);
            }
        }

        while (Stopwatch.GetTimestamp() < timestamp)
        {
            Thread.SpinWait(20);
        }

        return true;
    }
}

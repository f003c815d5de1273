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

    /// <summary>The longest spin before a due time: it covers the usual oversleep of a wake-up (issue 16).</summary>
    internal static readonly long MaxSpin = Ticks.FromSeconds(250e-6);

    /// <summary>
    /// The share of the gap between two calls that the dispatcher may spin: it bounds the spinning to this share of a
    /// core at any rate, so that at high rates (gaps of a few hundred microseconds) it spins next to nothing.
    /// </summary>
    internal const double SpinShare = 0.02;

    /// <param name="slots">The run's bound on calls in flight, shared by its open-model phases.</param>
    /// <param name="arrivals">When the phase's calls are due, in seconds from its start: the phase's schedule, or an agent's share of it.</param>
    public static Task RunAsync(OpenPhase phase, IEnumerable<double> arrivals, PhaseRecorder phaseRecorder, CallDriver driver, RunRecorder recorder, SemaphoreSlim slots, TimeSpan deadline, CancellationToken stop)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Dispatch(phase, arrivals, phaseRecorder, driver, recorder, slots, deadline, stop);
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

    private static void Dispatch(OpenPhase phase, IEnumerable<double> arrivals, PhaseRecorder phaseRecorder, CallDriver driver, RunRecorder recorder, SemaphoreSlim slots, TimeSpan deadline, CancellationToken stop)
    {
        var priority = new DispatcherPriority(PreciseWait.PrepareThread(), Stopwatch.GetTimestamp());
        var begin = phaseRecorder.Begin;
        var previousDue = begin;
        try
        {
            foreach (var dueSeconds in arrivals)
            {
                var due = begin + Ticks.FromSeconds(dueSeconds);
                if (priority.Sleeping(Stopwatch.GetTimestamp()))
                {
                    _ = PreciseWait.SetRealTime(priority.RealTime);
                }

                if (!SleepUntil(due, stop, SpinBefore(due - previousDue)))
                {
                    return;
                }

                previousDue = due;

                priority.Woke(Stopwatch.GetTimestamp());

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

    /// <summary>How long to spin before a call due <paramref name="gap"/> ticks after the one before it.</summary>
    internal static long SpinBefore(long gap) => Math.Clamp((long)(gap * SpinShare), 0, MaxSpin);

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
    /// Sleeps until <paramref name="timestamp"/>, spinning its last <paramref name="spin"/> ticks; false when a stop
    /// was requested first.
    /// </summary>
    internal static bool SleepUntil(long timestamp, CancellationToken stop, long spin = 0)
    {
        while (true)
        {
            if (stop.IsCancellationRequested)
            {
                return false;
            }

            var now = Stopwatch.GetTimestamp();
            if (now >= timestamp)
            {
                return true;
            }

            if (timestamp - now > MaxSleep)
            {
                PreciseWait.Until(now + MaxSleep);
            }
            else
            {
                PreciseWait.Until(timestamp, spin);
            }
        }
    }
}

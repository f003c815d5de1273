using System.Diagnostics;
using GrpcLoadLab.LoadGen.Calls;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Load;

/// <summary>
/// Runs a closed-model phase: a number of callers, each starting its next call as soon as its last one ended.
/// Latency then equals service time, and the servers' speed sets the rate: this model measures capacity.
/// </summary>
internal static class ClosedLoop
{
    /// <summary>How often a caller that the ramp has not yet reached looks again.</summary>
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(10);

    /// <param name="share">The agent's share: its callers keep their number in the whole, so a ramp reaches each when the whole's would.</param>
    public static Task RunAsync(ClosedPhase phase, AgentShare share, PhaseRecorder phaseRecorder, CallDriver driver, CancellationToken stop)
    {
        var begin = phaseRecorder.Begin;
        var end = begin + Ticks.FromSeconds(phase.PlannedDuration.TotalSeconds);
        var callLimit = share.CallLimitOf(phase);
        var remaining = callLimit ?? 0;
        return Task.WhenAll(share.CallersOf(phase).Select(index => Task.Run(() => CallerAsync(index))));

        async Task CallerAsync(int index)
        {
            while (true)
            {
                switch (Turn(index))
                {
                    case CallerTurn.Call:
                        await driver.RunAsync(phaseRecorder, Stopwatch.GetTimestamp(), index);
                        break;
                    case CallerTurn.Wait:
                        await Task.Delay(IdlePoll, CancellationToken.None);
                        break;
                    default:
                        return;
                }
            }
        }

        // Caller index calls while the phase's target concurrency (a ramp's, at this instant) is above it, and while
        // calls of a limited phase are left.
        CallerTurn Turn(int index)
        {
            var now = Stopwatch.GetTimestamp();
            if (stop.IsCancellationRequested || now >= end)
            {
                return CallerTurn.Stop;
            }

            if (index >= Math.Round(phase.TargetAt(TimeSpan.FromSeconds(Ticks.ToSeconds(now - begin)))))
            {
                return CallerTurn.Wait;
            }

            return callLimit is null || Interlocked.Decrement(ref remaining) >= 0 ? CallerTurn.Call : CallerTurn.Stop;
        }
    }

    private enum CallerTurn
    {
        Call,
        Wait,
        Stop,
    }
}

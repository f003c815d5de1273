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

    public static Task RunAsync(LoadPhase phase, PhaseRecorder phaseRecorder, CallDriver driver, CancellationToken stop)
    {
        var begin = phaseRecorder.Begin;
        var end = begin + Ticks.FromSeconds(phase.PlannedDuration.TotalSeconds);
        return phase switch
        {
            ConstantConcurrencyPhase p => Callers(p.Concurrency, _ => Until(end, stop) ? CallerTurn.Call : CallerTurn.Stop),
            RampConcurrencyPhase p => Callers(Math.Max(p.From, p.To), index => RampTurn(p, index, begin, end, stop)),
            IterationsPhase p => IterationCallers(p, end, stop),
            _ => throw new ArgumentException($"{phase.GetType().Name} is not a closed-model phase", nameof(phase)),
        };

        Task Callers(int count, Func<int, CallerTurn> turn) =>
            Task.WhenAll(Enumerable.Range(0, count).Select(index => Task.Run(() => CallerAsync(index, turn))));

        async Task CallerAsync(int index, Func<int, CallerTurn> turn)
        {
            while (true)
            {
                switch (turn(index))
                {
                    case CallerTurn.Call:
                        await driver.RunAsync(phaseRecorder, Stopwatch.GetTimestamp());
                        break;
                    case CallerTurn.Wait:
                        await Task.Delay(IdlePoll, CancellationToken.None);
                        break;
                    default:
                        return;
                }
            }
        }

        Task IterationCallers(IterationsPhase p, long timeout, CancellationToken token)
        {
            var remaining = p.Iterations;
            return Callers(p.Concurrency, _ => Until(timeout, token) && Interlocked.Decrement(ref remaining) >= 0 ? CallerTurn.Call : CallerTurn.Stop);
        }
    }

    private static bool Until(long end, CancellationToken stop) => !stop.IsCancellationRequested && Stopwatch.GetTimestamp() < end;

    /// <summary>Caller <paramref name="index"/> calls while the ramp's target concurrency is above it.</summary>
    private static CallerTurn RampTurn(RampConcurrencyPhase phase, int index, long begin, long end, CancellationToken stop)
    {
        if (!Until(end, stop))
        {
            return CallerTurn.Stop;
        }

        var target = LoadModels.TargetAt(phase, TimeSpan.FromSeconds(Ticks.ToSeconds(Stopwatch.GetTimestamp() - begin)));
        return index < Math.Round(target) ? CallerTurn.Call : CallerTurn.Wait;
    }

    private enum CallerTurn
    {
        Call,
        Wait,
        Stop,
    }
}

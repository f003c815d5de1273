using System.Diagnostics;
using GrpcLoadLab.Balancer.Tracking;
using GrpcLoadLab.LoadGen.Load;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Terminal;

namespace GrpcLoadLab.LoadGen.Runner;

/// <summary>
/// Once a second: closes a second of the timeline (calls, latency, per-endpoint counts, the generator's health) and
/// shows it in the live view. Only this ticker closes seconds, so the timeline needs no lock.
/// </summary>
internal sealed class RunTicker(Scenario scenario, LoadEngine engine, RunRecorder recorder, EndpointRegistry endpoints, IProgressDisplay display)
{
    private readonly GeneratorMonitor _monitor = new();
    private Dictionary<string, EndpointSnapshot> _lastEndpoints = [];

    public async Task RunAsync(TimeSpan interval, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                Tick();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run ended.
        }
    }

    public void Tick()
    {
        var now = Stopwatch.GetTimestamp();
        var phaseIndex = engine.CurrentPhase;
        var phase = recorder.Phases[phaseIndex];
        var inPhase = phase.Begin == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(phase.Begin, now);

        var snapshot = endpoints.Snapshot().ToDictionary(e => e.Address);
        var perEndpoint = snapshot.ToDictionary(
            e => e.Key,
            e => new EndpointSecond(
                e.Value.Succeeded - (_lastEndpoints.GetValueOrDefault(e.Key)?.Succeeded ?? 0),
                e.Value.Failed - (_lastEndpoints.GetValueOrDefault(e.Key)?.Failed ?? 0)));
        _lastEndpoints = snapshot;

        var second = recorder.CloseSecond(
            phaseIndex,
            engine.Share.TargetOf(phase.Phase, inPhase),
            perEndpoint,
            _monitor.Sample(recorder.TakeScheduleLagP99()));
        display.Update(Live(phase, inPhase, second));
    }

    private LiveSnapshot Live(PhaseRecorder phase, TimeSpan inPhase, TimelineSecond second)
    {
        var remaining = (phase.Phase.PlannedDuration - inPhase) + scenario.Phases.Skip(phase.Index + 1).Aggregate(TimeSpan.Zero, (sum, p) => sum + p.PlannedDuration);
        var served = recorder.ServedByInstance();
        var total = served.Values.Sum();
        return new LiveSnapshot(
            scenario.Name,
            phase.Phase.DisplayName,
            phase.Index + 1,
            scenario.Phases.Count,
            phase.Phase.Warmup,
            TimeSpan.FromSeconds(recorder.ElapsedSeconds),
            remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero,
            second.Succeeded + second.Failed,
            second.P50 / 1000.0,
            second.P99 / 1000.0,
            recorder.TotalSucceeded,
            recorder.TotalFailed,
            recorder.InFlight,
            recorder.TotalDropped,
            [.. served.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new ServerShare(s.Key, s.Value, total == 0 ? 0 : (double)s.Value / total))]);
    }
}

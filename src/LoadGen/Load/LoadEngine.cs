using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using GrpcLoadLab.Balancer.Tracking;
using GrpcLoadLab.LoadGen.Calls;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Load;

/// <summary>Runs the scenario's phases in order, then waits for the calls still in flight.</summary>
/// <param name="share">The part of the load this generator runs (<c>--agent K/N</c>); null: the whole.</param>
[SuppressMessage("Design", "CA1001", Justification = "The semaphore must outlive the engine; see _outstanding.")]
internal sealed class LoadEngine(Scenario scenario, CallDriver driver, RunRecorder recorder, AgentShare? share = null)
{
    private static readonly TimeSpan InFlightPoll = TimeSpan.FromMilliseconds(10);

    /// <summary>Extra time, beyond the calls' deadline, that the end of a run waits for calls in flight.</summary>
    private static readonly TimeSpan DrainMargin = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The bound on open-model calls in flight, for the whole run. Never disposed: calls that outlive the run (past
    /// their deadline and the drain margin) still release into it, and it holds no unmanaged resource.
    /// </summary>
    private readonly SemaphoreSlim _outstanding = new(MaxOutstanding(scenario, share));

    /// <summary>How late this machine wakes the open-model dispatcher: learnt in the warm-up, kept for the phases after it.</summary>
    private readonly WakeUpSpin _wakeUps = new();

    private volatile int _currentPhase;

    /// <summary>The part of the scenario's load this engine runs.</summary>
    public AgentShare Share { get; } = share ?? AgentShare.Whole;

    /// <summary>The phase running now (the last one once all have run).</summary>
    public int CurrentPhase => _currentPhase;

    /// <summary>
    /// Runs every phase. <paramref name="stop"/> (Ctrl-C) stops starting calls at once; calls in flight then end on
    /// their own (their driver cancels them through the run's abort token).
    /// </summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var random = new Random(scenario.Seed);
        for (var index = 0; index < scenario.Phases.Count && !stop.IsCancellationRequested; index++)
        {
            var phase = scenario.Phases[index];
            var phaseRecorder = recorder.Phases[index];
            _currentPhase = index;
            phaseRecorder.Begin = Stopwatch.GetTimestamp();
            try
            {
                // Whoever starts the phase's calls (the open loop's dispatcher thread, the closed loop's callers) starts
                // them in this flow: the balancer counts a warm-up's attempts apart, so each server's row is of the
                // measured phases, as the totals.
                using var warmup = WarmupScope.Enter(phase.Warmup);
                await RunPhaseAsync(phase, phaseRecorder, random, stop);
            }
            finally
            {
                phaseRecorder.End = Stopwatch.GetTimestamp();
            }
        }

        await WaitForCallsInFlightAsync();
    }

    private Task RunPhaseAsync(LoadPhase phase, PhaseRecorder phaseRecorder, Random random, CancellationToken stop) => phase switch
    {
        OpenPhase open => OpenLoop.RunAsync(open, Share.ArrivalsOf(open, random), phaseRecorder, driver, recorder, _outstanding, _wakeUps, scenario.Call.Deadline, stop),
        ClosedPhase closed => ClosedLoop.RunAsync(closed, Share, phaseRecorder, driver, stop),
        // A phase that starts no call (a pause) lasts its planned length.
        _ => Task.Run(() => OpenLoop.SleepUntil(phaseRecorder.Begin + Ticks.FromSeconds(phase.PlannedDuration.TotalSeconds), stop), CancellationToken.None),
    };

    /// <summary>An agent's share of the bound, so that the agents together keep the scenario's.</summary>
    private static int MaxOutstanding(Scenario scenario, AgentShare? share) => (share ?? AgentShare.Whole).Of(scenario.MaxOutstanding);

    private async Task WaitForCallsInFlightAsync()
    {
        var limit = Stopwatch.GetTimestamp() + Ticks.FromSeconds((scenario.Call.Deadline + DrainMargin).TotalSeconds);
        // An open-model call holds its slot from the moment it is queued to the thread pool, before it counts as in
        // flight: wait for the slots too, or a run could end with calls not yet started.
        while ((recorder.InFlight > 0 || _outstanding.CurrentCount < MaxOutstanding(scenario, Share)) && Stopwatch.GetTimestamp() < limit)
        {
            await Task.Delay(InFlightPoll, CancellationToken.None);
        }
    }
}

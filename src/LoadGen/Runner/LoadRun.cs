using System.Diagnostics;
using GrpcLoadLab.Balancer;
using GrpcLoadLab.Balancer.Targets;
using GrpcLoadLab.Balancer.Tracking;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Calls;
using GrpcLoadLab.LoadGen.Faults;
using GrpcLoadLab.LoadGen.Fleet;
using GrpcLoadLab.LoadGen.Load;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Terminal;

namespace GrpcLoadLab.LoadGen.Runner;

/// <summary>
/// One run of a scenario, start to finish: connect (refusing an unreachable target before any load), read the
/// servers' counters, run the phases with a one-second ticker feeding the timeline and the live view and the
/// scenario's faults beside them, read the counters again, and write <c>result.json</c> — also when interrupted or
/// failing part way, marked partial.
/// </summary>
/// <param name="fleet">The fleet script, for faults that kill, terminate or restart instances; null when there are none.</param>
public sealed class LoadRun(Scenario scenario, IProgressDisplay display, FleetScript? fleet = null)
{
    /// <summary>How long the target has to answer before the run is refused.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Runs the scenario. <paramref name="interrupt"/> (Ctrl-C) stops it: no new calls, calls in flight cancelled,
    /// the result written as partial. Throws <see cref="LoadRunException"/> when the run cannot start.
    /// </summary>
    public async Task<RunOutcome> ExecuteAsync(CancellationToken interrupt)
    {
        var target = BalancerTarget.Parse(scenario.Target.Address);
        var faults = new FaultExecutor(scenario, target, fleet);
        using var balanced = BalancedChannelFactory.Create(target, BalancerOptionsFor(scenario.Target));
        await ConnectAsync(balanced, interrupt);

        var addresses = target.Addresses.Select(a => EndpointRegistry.Format(a.EndPoint.Host, a.EndPoint.Port)).ToList();
        var statsAtStart = await ServerStatsCollector.FetchAsync(addresses);

        var startedAt = DateTimeOffset.Now;
        var recorder = new RunRecorder(scenario, Stopwatch.GetTimestamp());
        using var abortCalls = new CancellationTokenSource();
        using var onInterrupt = interrupt.Register(abortCalls.Cancel);
        var driver = CallDriver.Create(new LoadLab.LoadLabClient(balanced.Channel), scenario.Call, recorder, abortCalls.Token);
        var engine = new LoadEngine(scenario, driver, recorder);
        var ticker = new RunTicker(scenario, engine, recorder, balanced.Endpoints, display);

        string? partialReason = null;
        IReadOnlyList<FaultRecord> faultRecords;
        using (var stopTicking = new CancellationTokenSource())
        using (var stopFaults = CancellationTokenSource.CreateLinkedTokenSource(interrupt))
        {
            var ticking = ticker.RunAsync(TickInterval, stopTicking.Token);
            // On the thread pool: a fault due at 0s must not hold up the first phase's start.
            var faulting = Task.Run(() => faults.RunAsync(recorder.RunStart, stopFaults.Token), CancellationToken.None);
            try
            {
                await engine.RunAsync(interrupt);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                partialReason = $"the run failed: {e.Message}";
                await abortCalls.CancelAsync();
            }

            // Faults not yet due are not run once the load has ended; those in force are cleared.
            await stopFaults.CancelAsync();
            faultRecords = await faulting;
            await stopTicking.CancelAsync();
            await ticking;
        }

        ticker.Tick();
        display.Complete();
        if (interrupt.IsCancellationRequested)
        {
            partialReason ??= "interrupted before the last phase ended";
        }

        var statsAtEnd = await ServerStatsCollector.FetchAsync(addresses);
        var result = ResultBuilder.Build(
            scenario,
            recorder,
            startedAt,
            partialReason,
            balanced.Endpoints.Snapshot(),
            statsAtStart,
            statsAtEnd,
            EnvironmentProbe.Describe(addresses),
            faultRecords);
        var path = ResultJson.WriteNew(result, scenario.Report.Directory);
        return new RunOutcome(result, path, ExitCodeOf(result, interrupt.IsCancellationRequested));
    }

    private static int ExitCodeOf(RunResult result, bool interrupted) =>
        interrupted ? ExitCodes.Interrupted
        : result.Partial ? ExitCodes.Failed
        : !result.Verdict.Valid ? ExitCodes.Invalid
        : !result.Verdict.ThresholdsPassed ? ExitCodes.ThresholdsFailed
        : ExitCodes.Passed;

    private static BalancerOptions BalancerOptionsFor(TargetSpec target)
    {
        var options = new BalancerOptions
        {
            Policy = target.Policy,
            MaxConnectionsPerEndpoint = target.ConnectionsPerEndpoint ?? int.MaxValue,
            Retry = target.Retry,
            HealthChecks = target.HealthChecks,
        };
        if (target.HedgingDelay is { } delay)
        {
            options.HedgingDelay = delay;
        }

        return options;
    }

    private static async Task ConnectAsync(BalancedChannel balanced, CancellationToken interrupt)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await balanced.Channel.ConnectAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!interrupt.IsCancellationRequested)
        {
            throw new LoadRunException(
                $"no server of {balanced.Target.Text} answered within {ConnectTimeout.TotalSeconds:0}s: start them (scripts/servers.sh start N) or point --target elsewhere");
        }
    }
}

using System.Diagnostics;
using Grpc.Net.Client;
using GrpcLoadLab.Balancer;
using GrpcLoadLab.Balancer.Targets;
using GrpcLoadLab.Balancer.Tracking;
using GrpcLoadLab.Balancer.Transport;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Calls;
using GrpcLoadLab.LoadGen.Dynamic;
using GrpcLoadLab.LoadGen.Faults;
using GrpcLoadLab.LoadGen.Fleet;
using GrpcLoadLab.LoadGen.Following;
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
/// <param name="otlp">Where the live metrics are exported while the run goes; null for no export.</param>
/// <param name="agent">
/// The run as one agent of several (<c>--agent K/N</c>, <c>--start-at</c>): it runs its share of the load, from the
/// instant given, and carries out the scenario's faults only as agent 1 (a fault is one event, not N); null: the whole.
/// </param>
/// <param name="followServers">
/// Whether to follow each server's own timeline through <c>WatchStats</c> during the run (<c>--no-follow</c> turns it off).
/// </param>
public sealed class LoadRun(Scenario scenario, IProgressDisplay display, FleetScript? fleet = null, OtlpExportSettings? otlp = null, AgentPlan? agent = null, bool followServers = true)
{
    /// <summary>How long the target has to answer before the run is refused.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Makes the driver of the run's calls, given its balanced channel, recorder and abort token, in place of the
    /// scenario's call: a C# scenario's step (CodeScenarios/). Null: the call the scenario describes.
    /// </summary>
    internal Func<GrpcChannel, RunRecorder, CancellationToken, CallDriver>? Driver { get; init; }

    /// <summary>
    /// Runs the scenario. <paramref name="interrupt"/> (Ctrl-C) stops it: no new calls, calls in flight cancelled,
    /// the result written as partial. Throws <see cref="LoadRunException"/> when the run cannot start,
    /// <see cref="DynamicCallException"/> when a call of any service cannot be made (its schema or request), and
    /// <see cref="RunInterruptedException"/> when it is interrupted before its load starts (nothing measured).
    /// </summary>
    public async Task<RunOutcome> ExecuteAsync(CancellationToken interrupt)
    {
        // Before any load: a measurement must never be made only to find that it cannot be kept.
        if (OutputFolder.Problem(scenario.Report.Directory) is { } problem)
        {
            throw new LoadRunException($"the results folder {problem}: set report.directory in the scenario to a folder that can be written");
        }

        var target = scenario.Target.Address.Open();
        if (fleet is null && scenario.Faults.Any(f => f.ActsOnProcess()))
        {
            throw new LoadRunException("the scenario's faults kill, terminate or restart servers, which needs the fleet script: pass --fleet-script PATH");
        }

        // Its files are read now: a bad one is refused before any connection.
        var tls = scenario.Target.Tls?.Load();
        var faults = new FaultExecutor(agent is null || agent.Share.Index == 1 ? scenario : scenario with { Faults = [] }, target, fleet, tls);
        using var balanced = BalancedChannelFactory.Create(target, BalancerOptionsFor(scenario.Target, tls));
        await ConnectAsync(balanced, interrupt);
        // A call of any service: its schema and request are ready (or refused) before any load.
        var dynamicCall = await DynamicCall.PrepareAsync(scenario.Call, scenario.Target.Address.Text, agent is null ? 0 : agent.Share.Index - 1, tls, interrupt);

        var addresses = target.Addresses.Select(a => EndpointRegistry.Format(a.EndPoint.Host, a.EndPoint.Port)).ToList();
        var statsAtStart = await ServerStatsCollector.FetchAsync(addresses, tls);
        if (interrupt.IsCancellationRequested)
        {
            throw new RunInterruptedException("interrupted before the load started: nothing was measured, no result written");
        }

        var late = agent is not null && await StartInstant.WaitAsync(agent, interrupt);
        var startedAt = DateTimeOffset.Now;
        using var live = new LiveMetrics(scenario);
        var recorder = new RunRecorder(scenario, Stopwatch.GetTimestamp(), live, keepSecondHistograms: agent is not null);
        // The run id names the run's results folder too (without the -2 of two runs started in one second).
        using var export = otlp is null ? null : LiveExport.Start(otlp, scenario.Name, $"{OutputFolder.Stamp(startedAt)}-{scenario.Name}");
        using var follower = followServers ? new ServerFollower(balanced.Endpoints, addresses, startedAt, tls) : null;
        follower?.Start();
        using var abortCalls = new CancellationTokenSource();
        using var onInterrupt = interrupt.Register(abortCalls.Cancel);
        var driver = Driver is not null ? Driver(balanced.Channel, recorder, abortCalls.Token)
            : dynamicCall is null ? CallDriver.Create(new LoadLab.LoadLabClient(balanced.Channel), scenario.Call, recorder, abortCalls.Token)
            : new DynamicCallDriver(balanced.Channel.CreateCallInvoker(), dynamicCall, scenario.Call, recorder, abortCalls.Token);
        var engine = new LoadEngine(scenario, driver, recorder, agent?.Share);
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
                partialReason = Failure("the run failed", e);
                await abortCalls.CancelAsync();
            }

            // Faults not yet due are not run once the load has ended; those in force are cleared.
            await stopFaults.CancelAsync();
            // What fails beside the load is said in the result, never thrown past it: the calls measured are kept.
            try
            {
                faultRecords = await faulting;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                faultRecords = [];
                partialReason ??= Failure("the faults failed", e);
            }

            await stopTicking.CancelAsync();
            try
            {
                await ticking;
                ticker.Tick();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                partialReason ??= Failure("the timeline failed", e);
            }
        }

        // Every call has ended or been cancelled: the export's last interval holds the whole run.
        var exportWarning = export?.Finish();
        var serverTimelines = follower is null ? null : await follower.StopAsync(DateTimeOffset.Now, catchUp: !interrupt.IsCancellationRequested);
        display.Complete();
        if (interrupt.IsCancellationRequested)
        {
            partialReason ??= "interrupted before the last phase ended";
        }

        var statsAtEnd = await ServerStatsCollector.FetchAsync(addresses, tls);
        var result = ResultBuilder.Build(
            scenario,
            recorder,
            startedAt,
            partialReason,
            balanced.Endpoints.Snapshot(includeWarmup: false),
            statsAtStart,
            statsAtEnd,
            EnvironmentProbe.Describe(addresses),
            faultRecords,
            agent is null ? null : new AgentInfo(agent.Share.Index, agent.Share.Count, Environment.MachineName, StartInstant.Clock(agent, startedAt, late)),
            serverTimelines);
        var outcome = Write(result, interrupt.IsCancellationRequested);
        return exportWarning is null ? outcome : outcome with { Warning = outcome.Warning is null ? exportWarning : $"{outcome.Warning}; {exportWarning}" };
    }

    private static string Failure(string what, Exception e) => $"{what}: {e.GetType().Name}: {e.Message}";

    /// <summary>
    /// Writes the result into the scenario's folder, or, when that fails after all (the folder was checked before the
    /// load), into <see cref="OutputFolder.Fallback"/>: what was measured is kept, and the outcome says where.
    /// </summary>
    private RunOutcome Write(RunResult result, bool interrupted)
    {
        try
        {
            return new RunOutcome(result, ResultJson.WriteNew(result, scenario.Report.Directory), ExitCodes.Of(result, interrupted));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var path = ResultJson.WriteNew(result, OutputFolder.Fallback);
            var warning = $"the result could not be written into '{scenario.Report.Directory}' ({e.Message.TrimEnd('.')}): it was written to {path} instead";
            return new RunOutcome(result, path, interrupted ? ExitCodes.Interrupted : ExitCodes.Failed) { Warning = warning };
        }
    }

    private static BalancerOptions BalancerOptionsFor(TargetSpec target, ClientTls? tls)
    {
        var options = new BalancerOptions
        {
            Tls = tls,
            Policy = target.Policy,
            MaxConnectionsPerEndpoint = target.ConnectionsPerEndpoint ?? int.MaxValue,
            Retry = target.Retry,
            HealthChecks = target.HealthChecks,
        };
        if (target.HedgingDelay is { } delay)
        {
            options.HedgingDelay = delay;
        }

        if (target.DnsRefresh is { } refresh)
        {
            options.DnsRefreshInterval = refresh;
        }

        return options;
    }

    private static async Task ConnectAsync(BalancedChannel balanced, CancellationToken interrupt)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            var connecting = balanced.Channel.ConnectAsync(timeout.Token);
            // A connection that cannot work (TLS refused, TLS against plaintext) is named at once, not after the wait.
            var checking = ConnectionCheck.FindProblemAsync(balanced.Target, balanced.Options.Tls, timeout.Token);
            if (await Task.WhenAny(connecting, checking) == checking && await checking is { } problem)
            {
                throw new LoadRunException(problem);
            }

            await connecting;
            await checking;
        }
        catch (OperationCanceledException) when (!interrupt.IsCancellationRequested)
        {
            throw new LoadRunException(
                $"no server of {balanced.Target.Text} answered within {ConnectTimeout.TotalSeconds:0}s: start them (scripts/servers.sh start N) or point --target elsewhere");
        }
        catch (OperationCanceledException)
        {
            throw new RunInterruptedException($"interrupted while connecting to {balanced.Target.Text}: nothing was measured, no result written");
        }
    }
}

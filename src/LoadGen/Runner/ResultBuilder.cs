using System.Diagnostics;
using GrpcLoadLab.Balancer.Tracking;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Runner;

/// <summary>Turns what a run recorded into its <see cref="RunResult"/>: phases, totals, endpoints, verdict.</summary>
internal static class ResultBuilder
{
    public static RunResult Build(
        Scenario scenario,
        RunRecorder recorder,
        DateTimeOffset startedAt,
        string? partialReason,
        IReadOnlyList<EndpointSnapshot> balancerEndpoints,
        IReadOnlyDictionary<string, InstanceStats?> statsAtStart,
        IReadOnlyDictionary<string, InstanceStats?> statsAtEnd,
        EnvironmentInfo environment,
        IReadOnlyList<FaultRecord> faults,
        AgentInfo? agent,
        IReadOnlyList<ServerTimeline>? serverTimelines)
    {
        var ran = recorder.Phases.Where(p => p.Begin != 0).ToList();
        var phases = ran.Select(p => new PhaseResult(
            p.Index,
            p.Phase.DisplayName,
            ScenarioJson.PhaseTypeOf(p.Phase),
            p.Phase.Warmup,
            Math.Round(recorder.SecondsSinceStart(p.Begin), 3),
            Math.Round(recorder.SecondsSinceStart(End(p)), 3),
            p.Phase.Load,
            p.Stats(Ticks.ToSeconds(End(p) - p.Begin)))).ToList();

        var measured = ran.Where(p => !p.Phase.Warmup && p.Phase.MakesCalls).ToList();
        var totals = PhaseRecorder.Merge(measured, measured.Sum(p => Ticks.ToSeconds(End(p) - p.Begin)));
        var measuredPhaseIndexes = measured.Select(p => p.Index).ToHashSet();
        var measuredSeconds = recorder.Timeline.Where(s => measuredPhaseIndexes.Contains(s.Phase)).ToList();

        var invalidReasons = AccountingProblems(recorder, ran, totals).Concat(GeneratorHealthRules.Check(totals, measuredSeconds)).ToList();
        // An agent ran a share of the load: the thresholds speak of the whole, and are judged on the merged run.
        var thresholds = agent is null ? ThresholdJudge.Judge(scenario.Thresholds, totals, PhaseRecorder.MergeAll(measured.Select(p => p.Latency))) : [];

        return new RunResult(
            RunResult.SchemaName,
            RunResult.CurrentVersion,
            scenario.Name,
            partialReason is not null,
            partialReason,
            startedAt,
            DateTimeOffset.Now,
            scenario,
            environment,
            phases,
            totals,
            recorder.Timeline,
            // Whether the calls name their instance is told by every call that ran, warm-up included: a run cut short in
            // its warm-up named them there, and its rows are the measured phases' (none), not the balancer's.
            Endpoints(measured, ran.Any(p => p.ByInstance.Count > 0), totals, balancerEndpoints, statsAtStart, statsAtEnd, serverTimelines ?? []),
            [.. statsAtStart.Keys.Union(statsAtEnd.Keys, StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).Select(address => new ServerStatsPair(
                address,
                statsAtStart.GetValueOrDefault(address),
                statsAtEnd.GetValueOrDefault(address)))],
            new Verdict(invalidReasons.Count == 0, invalidReasons, thresholds.All(t => t.Passed), thresholds)
            {
                Warnings = GeneratorHealthRules.Warnings(measuredSeconds),
            })
        {
            Faults = faults,
            SubSteps = recorder.SubSteps.Results(),
            Agent = agent,
            ServerTimelines = serverTimelines,
            CheckMismatch = recorder.FirstMismatch,
        };
    }

    /// <summary>
    /// Why the run's own bookkeeping cannot be trusted: a started call that did not end exactly one way, a call failed
    /// by the generator's own code, or no call ended at all in the measured phases. Any of them makes the run invalid:
    /// a run that measured nothing, or lost track of what it measured, must never pass.
    /// </summary>
    private static IEnumerable<string> AccountingProblems(RunRecorder recorder, IReadOnlyList<PhaseRecorder> ran, PhaseStats totals)
    {
        var all = ran.Aggregate(CallCounts.Zero, (sum, phase) => sum.Plus(phase.Counts));
        if (!all.AddsUp)
        {
            yield return $"the calls do not add up: {all.Started} started, {all.Succeeded} succeeded + {all.Failed} failed + {all.Cancelled} cancelled ({all.Started - all.Succeeded - all.Failed - all.Cancelled} never ended): the generator lost track of calls";
        }

        if (recorder.GeneratorErrors > 0)
        {
            yield return $"{recorder.GeneratorErrors} calls failed inside the generator, not at a server (first: {recorder.FirstGeneratorError})";
        }

        if (totals.Calls.Ended == 0)
        {
            yield return "no call ended in the measured phases: nothing was measured";
        }
    }

    /// <summary>The phase's end, or now for a phase cut short before it recorded one.</summary>
    private static long End(PhaseRecorder phase) => phase.End != 0 ? phase.End : Stopwatch.GetTimestamp();

    /// <param name="callsNameInstances">Some call of the run named the instance that served it.</param>
    private static List<EndpointResult> Endpoints(
        IReadOnlyList<PhaseRecorder> measured,
        bool callsNameInstances,
        PhaseStats totals,
        IReadOnlyList<EndpointSnapshot> balancerEndpoints,
        IReadOnlyDictionary<string, InstanceStats?> statsAtStart,
        IReadOnlyDictionary<string, InstanceStats?> statsAtEnd,
        IReadOnlyList<ServerTimeline> serverTimelines)
    {
        // An instance down at the start (and restarted during the run) is named by its counters at the end; one whose
        // counters were not read (an address a dns: name resolved to) by the watch that followed it.
        var idByAddress = statsAtStart.Concat(statsAtEnd)
            .Where(s => s.Value is not null)
            .Select(s => (Address: s.Key, s.Value!.InstanceId))
            .Concat(serverTimelines.Where(t => t.InstanceId is not null).Select(t => (t.Address, InstanceId: t.InstanceId!)))
            .GroupBy(s => s.Address, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().InstanceId, StringComparer.OrdinalIgnoreCase);
        var instances = measured
            .SelectMany(p => p.ByInstance)
            .GroupBy(pair => pair.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (Succeeded: g.Sum(t => t.Value.SucceededCount), Latency: PhaseRecorder.MergeAll(g.Select(t => t.Value.Latency))), StringComparer.Ordinal);

        // A row takes the balancer's count of the attempts its server answered OK when the calls cannot tell it: its
        // server names no instance in its replies (any service not the lab's), or no call of the run read one (calls by
        // schema do not decode their replies). That count is of the measured phases' attempts, like its picks and
        // failures (the balancer counts a warm-up's apart), and its share is of the successes counted at such rows.
        bool CountedByBalancer(string? instanceId) => instanceId is null || !callsNameInstances;
        var balancerCountedSucceeded = balancerEndpoints
            .Where(e => CountedByBalancer(idByAddress.GetValueOrDefault(e.Address)))
            .Sum(e => e.Succeeded);
        var rows = new List<EndpointResult>();
        foreach (var endpoint in balancerEndpoints)
        {
            var instanceId = idByAddress.GetValueOrDefault(endpoint.Address);
            if (CountedByBalancer(instanceId))
            {
                rows.Add(Row(endpoint.Address, instanceId, endpoint.Succeeded, balancerCountedSucceeded, LatencyHistogram.Create(), endpoint));
                continue;
            }

            var served = instances.Remove(instanceId!, out var tally) ? tally : (0, LatencyHistogram.Create());
            rows.Add(Row(endpoint.Address, instanceId, served.Item1, totals.Calls.Succeeded, served.Item2, endpoint));
        }

        // Instances that replied but that no balancer address maps to (e.g. behind a DNS name).
        rows.AddRange(instances.Select(i => Row(null, i.Key, i.Value.Succeeded, totals.Calls.Succeeded, i.Value.Latency, null)));
        return rows;
    }

    /// <param name="ofSucceeded">The successes <paramref name="succeeded"/> is a share of.</param>
    private static EndpointResult Row(string? address, string? instanceId, long succeeded, long ofSucceeded, HdrHistogram.HistogramBase latency, EndpointSnapshot? balancer) => new(
        address,
        instanceId,
        succeeded,
        balancer?.Failed ?? 0,
        ofSucceeded == 0 ? 0 : Math.Round((double)succeeded / ofSucceeded, 4),
        HistogramSummaries.Summarize(latency),
        balancer?.Picks ?? 0,
        balancer?.RetryAttempts ?? 0,
        balancer?.FailedByStatus.ToDictionary(s => StatusNames.Of(s.Key), s => s.Value) ?? new Dictionary<string, long>(),
        balancer?.Abandoned ?? 0);
}

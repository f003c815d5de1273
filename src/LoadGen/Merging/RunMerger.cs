using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Merging;

/// <summary>
/// N agents' results made into the one run they shared (<c>loadgen merge</c>): histograms added (never percentiles
/// averaged), calls, status codes, bytes and the balancer's per-endpoint counters summed, timelines aligned by
/// wall-clock second, faults kept, and the thresholds judged on the merged totals. The merged run is valid only when
/// every agent was (its reasons name the agent) and they started together, and partial when any agent was. The clock of the merged run is the
/// earliest agent's: its start is second 0.
/// </summary>
internal static class RunMerger
{
    /// <summary>How far apart (a share of the shortest agent's measured time) the agents may start and still be one load.</summary>
    private const double MostStartSpread = 0.05;

    /// <param name="agents">Every agent of one run, checked by <see cref="AgentResults.Read"/>, in agent order.</param>
    public static RunResult Merge(IReadOnlyList<(string Source, RunResult Run)> agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        var start = agents.MinBy(a => a.Run.StartedAt).Run.StartedAt;
        var parts = agents.Select(a => (a.Source, a.Run, Offset: (a.Run.StartedAt - start).TotalSeconds)).ToList();
        var scenario = agents[0].Run.Scenario;

        var phases = parts
            .SelectMany(p => p.Run.Phases.Select(phase => (Phase: phase, p.Offset)))
            .GroupBy(p => p.Phase.Index)
            .OrderBy(g => g.Key)
            .Select(g => Phase([.. g]))
            .ToList();
        var measuredSeconds = phases.Where(p => !p.Warmup && scenario.Phases[p.Index].MakesCalls).Sum(p => p.Stats.Seconds);
        var totals = Stats([.. parts.Select(p => p.Run.Totals)], measuredSeconds);

        var invalid = parts.SelectMany(p => p.Run.Verdict.InvalidReasons.Select(reason => $"{Name(p.Run)}: {reason}")).ToList();
        if (NotTogether(parts) is { } apart)
        {
            invalid.Add(apart);
        }

        var partial = parts.Where(p => p.Run.Partial).Select(p => $"{Name(p.Run)}: {p.Run.PartialReason ?? "partial"}").ToList();
        var thresholds = ThresholdJudge.Judge(scenario.Thresholds, totals, HistogramCodec.Decode(totals.Latency.Encoded));
        var first = agents[0].Run;

        return new RunResult(
            RunResult.SchemaName,
            RunResult.CurrentVersion,
            first.Name,
            partial.Count > 0,
            partial.Count > 0 ? string.Join("; ", partial) : null,
            start,
            parts.Max(p => p.Run.EndedAt),
            scenario,
            Environment([.. parts.Select(p => p.Run)]),
            phases,
            totals,
            TimelineMerger.Merge([.. parts.Select(p => (p.Run.Timeline, p.Offset))]),
            Endpoints([.. parts.Select(p => p.Run)]),
            Servers([.. parts.Select(p => p.Run)]),
            new Verdict(invalid.Count == 0, invalid, thresholds.All(t => t.Passed), thresholds)
            {
                Warnings = [.. parts.SelectMany(p => p.Run.Verdict.Warnings.Select(warning => $"{Name(p.Run)}: {warning}"))],
            })
        {
            Faults = [.. parts.SelectMany(p => p.Run.Faults.Select(f => Shifted(f, p.Offset)))],
            // Every agent follows the same servers, whose seconds are the servers' own (wall clock): one agent's series
            // is the servers' timeline, and adding them would count each server N times.
            ServerTimelines = parts.Select(p => p.Run.ServerTimelines).FirstOrDefault(t => t is not null),
            CheckMismatch = parts.Select(p => p.Run.CheckMismatch).FirstOrDefault(m => m is not null),
            Agents = [.. parts.Select(p => new AgentRun(
                p.Run.Agent!,
                p.Source,
                Math.Round(p.Offset, 3),
                p.Run.Partial,
                p.Run.Verdict.Valid,
                p.Run.Verdict.InvalidReasons,
                p.Run.Totals.Calls,
                p.Run.Totals.CallsPerSecond,
                p.Run.Totals.Latency.P99))],
        };
    }

    /// <summary>The statistics of several agents' parts of one span: counts summed, histograms added, the rate over <paramref name="seconds"/>.</summary>
    /// <param name="seconds">The span the parts ran in together: from the first one's start to the last one's end.</param>
    public static PhaseStats Stats(IReadOnlyList<PhaseStats> parts, double seconds)
    {
        var calls = parts.Aggregate(CallCounts.Zero, (sum, p) => sum.Plus(p.Calls));
        return new PhaseStats(
            Math.Round(seconds, 3),
            calls,
            seconds > 0 ? Math.Round((calls.Succeeded + calls.Failed) / seconds, 1) : 0,
            Sum(parts.Select(p => p.StatusCodes)),
            parts.Sum(p => p.BytesSent),
            parts.Sum(p => p.BytesReceived),
            parts.Sum(p => p.MessagesSent),
            parts.Sum(p => p.MessagesReceived),
            HistogramSum.Of(parts.Select(p => p.Latency)),
            HistogramSum.Of(parts.Select(p => p.ServiceTime)),
            HistogramSum.OfAny(parts.Select(p => p.ScheduleLag)),
            HistogramSum.OfAny(parts.Select(p => p.FirstMessage)),
            HistogramSum.OfAny(parts.Select(p => p.MessageLatency)),
            HistogramSum.OfAny(parts.Select(p => p.InterArrival)),
            Dispatcher(parts),
            // Unrecorded in a part from before failures were: its calls' details are missing, not unlisted.
            parts.Any(p => p.Failures is null) ? null : StatusFailures.Sum(parts.Select(p => p.Failures)));
    }

    /// <summary>
    /// The agents' dispatchers together: every wake-up of each, their paced times added, the longest spin of any. None
    /// unless every agent that paced a schedule told its dispatcher (one from before it was recorded would leave its
    /// sleeps out unseen).
    /// </summary>
    private static DispatcherFigures? Dispatcher(IReadOnlyList<PhaseStats> parts)
    {
        var paced = parts.Where(p => p.ScheduleLag is not null || p.Dispatcher is not null).ToList();
        if (paced.Count == 0 || paced.Any(p => p.Dispatcher is null))
        {
            return null;
        }

        var dispatchers = paced.Select(p => p.Dispatcher!).ToList();
        return new DispatcherFigures(
            HistogramSum.OfAny(dispatchers.Select(d => d.WakeUpLateness)),
            Math.Round(dispatchers.Sum(d => d.PacedSeconds), 3),
            Math.Round(dispatchers.Sum(d => d.RealTimeSeconds), 3),
            dispatchers.Max(d => d.LongestSpinMicros));
    }

    private static string Name(RunResult run) => $"agent {run.Agent!.Text} ({run.Agent.Host})";

    /// <summary>
    /// Why the agents' loads were not one load, or null: the merged rate is over the span from the first agent's
    /// start to the last one's end, so agents started apart spread the same calls over a longer span (20 s apart, a
    /// 2 s run would read at a tenth of its rate). More than <see cref="MostStartSpread"/> of the shortest agent's
    /// measured time apart, the merged rate is not the load the servers bore.
    /// </summary>
    private static string? NotTogether(IReadOnlyList<(string Source, RunResult Run, double Offset)> parts)
    {
        var last = parts.MaxBy(p => p.Offset);
        var shortest = parts.Min(p => p.Run.Totals.Seconds);
        return last.Offset <= MostStartSpread * shortest
            ? null
            : FormattableString.Invariant($"the agents did not run together: {Name(last.Run)} started {last.Offset:0.###} s after {Name(parts.MinBy(p => p.Offset).Run)}, more than {MostStartSpread * 100:0}% of the {shortest:0.###} s measured (start them with one --start-at)");
    }

    /// <summary>One phase as all agents ran it: from the first agent's start of it to the last one's end, on the merged clock.</summary>
    private static PhaseResult Phase(IReadOnlyList<(PhaseResult Phase, double Offset)> parts)
    {
        var begin = Math.Round(parts.Min(p => p.Offset + p.Phase.StartSeconds), 3);
        var end = Math.Round(parts.Max(p => p.Offset + p.Phase.EndSeconds), 3);
        var first = parts[0].Phase;
        return first with { StartSeconds = begin, EndSeconds = end, Stats = Stats([.. parts.Select(p => p.Phase.Stats)], end - begin) };
    }

    /// <summary>
    /// Per endpoint (by address, else by the instance's id): the calls it served to any agent, their latency added, and
    /// every agent's balancer counters for it summed; its share is of the merged rows' successes. (A row the balancer
    /// counted includes the warm-up, unlike the run's totals: the rows' own sum keeps the shares to 100 %.)
    /// </summary>
    private static List<EndpointResult> Endpoints(IReadOnlyList<RunResult> runs)
    {
        var merged = runs.SelectMany(r => r.Endpoints)
            .GroupBy(e => e.Address ?? $"instance {e.InstanceId}", StringComparer.OrdinalIgnoreCase)
            .Select(g => (Rows: g, Succeeded: g.Sum(e => e.Succeeded)))
            .ToList();
        var allSucceeded = merged.Sum(m => m.Succeeded);
        return [.. merged.Select(m => new EndpointResult(
            m.Rows.First().Address,
            m.Rows.Select(e => e.InstanceId).FirstOrDefault(id => id is not null),
            m.Succeeded,
            m.Rows.Sum(e => e.Failed),
            allSucceeded == 0 ? 0 : Math.Round((double)m.Succeeded / allSucceeded, 4),
            HistogramSum.Of(m.Rows.Select(e => e.Latency)),
            m.Rows.Sum(e => e.Picks),
            m.Rows.Sum(e => e.RetryAttempts),
            Sum(m.Rows.Select(e => e.FailedByStatus)),
            m.Rows.Sum(e => e.NoStatus)))];
    }

    /// <summary>
    /// Each server's own counters are its totals since it started, read by every agent: adding them would count each
    /// call N times. The merged run keeps the reading taken first (before any agent's load) and the one taken last.
    /// </summary>
    private static List<ServerStatsPair> Servers(IReadOnlyList<RunResult> runs) =>
        [.. runs.SelectMany(r => r.Servers)
            .Select(s => s.Address)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .Select(address => new ServerStatsPair(
                address,
                runs.OrderBy(r => r.StartedAt).Select(r => Reading(r, address)?.Start).FirstOrDefault(s => s is not null),
                runs.OrderByDescending(r => r.EndedAt).Select(r => Reading(r, address)?.End).FirstOrDefault(s => s is not null)))];

    private static ServerStatsPair? Reading(RunResult run, string address) =>
        run.Servers.FirstOrDefault(s => string.Equals(s.Address, address, StringComparison.OrdinalIgnoreCase));

    /// <summary>Agent 1's set-up, with every agent's host and every server any agent called.</summary>
    private static EnvironmentInfo Environment(IReadOnlyList<RunResult> runs)
    {
        var servers = runs.SelectMany(r => r.Environment.ServerAddresses).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        return runs[0].Environment with
        {
            Machine = string.Join(", ", runs.Select(r => r.Agent!.Host).Distinct(StringComparer.Ordinal)),
            ServerCount = servers.Count,
            ServerAddresses = servers,
        };
    }

    private static FaultRecord Shifted(FaultRecord fault, double offset) => fault with
    {
        AtSeconds = Math.Round(fault.AtSeconds + offset, 3),
        UntilSeconds = fault.UntilSeconds is { } until ? Math.Round(until + offset, 3) : null,
        DoneSeconds = fault.DoneSeconds is { } done ? Math.Round(done + offset, 3) : null,
    };

    private static SortedDictionary<string, long> Sum(IEnumerable<IReadOnlyDictionary<string, long>> counts)
    {
        var sum = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, count) in counts.SelectMany(c => c))
        {
            sum[key] = sum.GetValueOrDefault(key) + count;
        }

        return sum;
    }
}

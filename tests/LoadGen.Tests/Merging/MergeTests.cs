using System.Text.Json;
using GrpcLoadLab.LoadGen.Merging;
using GrpcLoadLab.LoadGen.Results;
using HdrHistogram;

namespace GrpcLoadLab.LoadGen.Tests.Merging;

/// <summary><c>loadgen merge</c>'s arithmetic: agents' results made into the one run they shared, exactly.</summary>
public class MergeTests
{
    private static readonly long[] Fast = [.. Enumerable.Range(1, 900).Select(i => 1_000L + (i * 3))];
    private static readonly long[] Slow = [.. Enumerable.Range(1, 300).Select(i => 20_000L + (i * 97))];

    [Fact]
    public void Calls_status_codes_bytes_and_endpoint_counters_are_summed()
    {
        var agents = Pair(AgentRuns.Agent(1, 2, Fast), AgentRuns.Agent(2, 2, Slow));

        var merged = RunMerger.Merge(agents);

        Assert.Equal(agents[0].Run.Totals.Calls.Plus(agents[1].Run.Totals.Calls), merged.Totals.Calls);
        Assert.Equal(1_200, merged.Totals.StatusCodes["OK"]);
        Assert.Equal(1_200 * 20, merged.Totals.BytesReceived);
        Assert.Equal(2, merged.Endpoints.Count);
        Assert.Equal(1_200, merged.Endpoints.Sum(e => e.Succeeded));
        Assert.Equal(1_200, merged.Endpoints.Sum(e => e.Picks));
        Assert.Equal(1.0, merged.Endpoints.Sum(e => e.Share), precision: 3);
        Assert.Equal(1_200, merged.Phases.Single().Stats.Calls.Succeeded);
        Assert.Equal(["agent 1/2", "agent 2/2"], merged.Agents!.Select(a => $"agent {a.Agent.Text}"));
        Assert.Equal([900L, 300L], merged.Agents!.Select(a => a.Calls.Succeeded));
        Assert.Null(merged.Agent);
    }

    /// <summary>
    /// A row the balancer counted (a server that names no instance, or calls by schema) counts the warm-up too, unlike
    /// the run's totals: the merged shares are of the rows' own successes, and add up to 100 %.
    /// </summary>
    [Fact]
    public void Shares_of_rows_the_balancer_counted_with_their_warm_up_add_up_to_the_whole()
    {
        static RunResult WithWarmUpInRows(RunResult run) => run with
        {
            Endpoints = [.. run.Endpoints.Select(e => e with { InstanceId = null, Succeeded = e.Succeeded * 2, Picks = e.Picks * 2 })],
        };
        var agents = Pair(WithWarmUpInRows(AgentRuns.Agent(1, 2, Fast)), WithWarmUpInRows(AgentRuns.Agent(2, 2, Slow)));

        var merged = RunMerger.Merge(agents);

        Assert.Equal(2_400, merged.Endpoints.Sum(e => e.Succeeded));
        Assert.Equal(1.0, merged.Endpoints.Sum(e => e.Share), precision: 3);
        Assert.All(merged.Endpoints, e => Assert.Equal((double)e.Succeeded / 2_400, e.Share, precision: 3));
    }

    [Fact]
    public void The_agents_dispatchers_are_told_together_every_wake_up_of_each_their_times_added_the_longest_spin_of_any()
    {
        var agents = Pair(
            WithDispatcher(AgentRuns.Agent(1, 2, Fast), wakeUps: Fast, paced: 3, realTime: 3, spin: 250),
            WithDispatcher(AgentRuns.Agent(2, 2, Slow), wakeUps: Slow, paced: 2.5, realTime: 0.5, spin: 90));

        var dispatcher = RunMerger.Merge(agents).Totals.Dispatcher;

        Assert.NotNull(dispatcher?.WakeUpLateness);
        Assert.Equal(Fast.Length + Slow.Length, dispatcher.WakeUpLateness.Count);
        Assert.Equal(Slow.Max(), HistogramCodec.Decode(dispatcher.WakeUpLateness.Encoded).GetMaxValue(), tolerance: Slow.Max() / 1_000.0);
        Assert.Equal(5.5, dispatcher.PacedSeconds);
        Assert.Equal(3.5, dispatcher.RealTimeSeconds);
        Assert.Equal(250, dispatcher.LongestSpinMicros);
        // A closed-model run's agents had no dispatcher: the merge invents none.
        Assert.Null(RunMerger.Merge(Pair(AgentRuns.Agent(1, 2, Fast), AgentRuns.Agent(2, 2, Slow))).Totals.Dispatcher);
    }

    [Fact]
    public void Dispatchers_told_by_only_some_of_the_agents_that_paced_a_schedule_are_not_told_as_the_whole()
    {
        // Agent 2 paced its schedule too (a schedule lag), with a loadgen from before the dispatcher was recorded.
        var older = AgentRuns.Agent(2, 2, Slow);
        older = older with { Totals = older.Totals with { ScheduleLag = older.Totals.Latency } };

        var merged = RunMerger.Merge(Pair(WithDispatcher(AgentRuns.Agent(1, 2, Fast), wakeUps: Fast, paced: 3, realTime: 3, spin: 250), older));

        Assert.Null(merged.Totals.Dispatcher);
    }

    private static RunResult WithDispatcher(RunResult run, long[] wakeUps, double paced, double realTime, long spin) => run with
    {
        Totals = run.Totals with
        {
            Dispatcher = new DispatcherFigures(HistogramSummaries.Summarize(AgentRuns.Histogram(wakeUps)), paced, realTime, spin),
        },
    };

    [Fact]
    public void The_merged_percentiles_are_those_of_the_union_of_the_agents_histograms_never_an_average()
    {
        var agents = Pair(AgentRuns.Agent(1, 2, Fast), AgentRuns.Agent(2, 2, Slow));

        var merged = RunMerger.Merge(agents);

        // Decoded here, independently of the merge: every agent's histogram added into a new one.
        var union = new LongHistogram(1, 600_000_000, 3);
        foreach (var (_, run) in agents)
        {
            union.Add(HistogramCodec.Decode(run.Totals.Latency.Encoded));
        }

        var decoded = HistogramCodec.Decode(merged.Totals.Latency.Encoded);
        Assert.Equal(union.TotalCount, decoded.TotalCount);
        foreach (var percentile in Percentiles())
        {
            Assert.Equal(union.GetValueAtPercentile(percentile), decoded.GetValueAtPercentile(percentile));
        }

        Assert.Equal(union.GetValueAtPercentile(99), merged.Totals.Latency.P99);
        Assert.Equal(union.GetMaxValue(), merged.Totals.Latency.Max);
        // Three quarters of the calls are fast, so the merged p50 is a fast call's, far from the agents' average p50.
        var averageP50 = agents.Average(a => a.Run.Totals.Latency.P50);
        Assert.True(merged.Totals.Latency.P50 < averageP50 / 2, $"merged p50 {merged.Totals.Latency.P50}, average of the agents' {averageP50}");
    }

    [Fact]
    public void Timelines_are_aligned_by_wall_clock_second()
    {
        // Agent 2 started 2.2 s after agent 1: its second 1 overlaps agent 1's second 3 most.
        var agents = Pair(AgentRuns.Agent(1, 2, Fast), AgentRuns.Agent(2, 2, Slow, offsetSeconds: 2.2));

        var merged = RunMerger.Merge(agents);

        Assert.Equal([1, 2, 3, 4, 5], merged.Timeline.Select(s => s.Second));
        var one = agents[0].Run.Timeline;
        var two = agents[1].Run.Timeline;
        Assert.Equal([one[0].Succeeded, one[1].Succeeded, one[2].Succeeded + two[0].Succeeded, two[1].Succeeded, two[2].Succeeded], merged.Timeline.Select(s => s.Succeeded));
        Assert.Equal(merged.Totals.Calls.Succeeded, merged.Timeline.Sum(s => s.Succeeded));
        Assert.Equal([2.0, 2, 4, 2, 2], merged.Timeline.Select(s => s.TargetLoad));
        Assert.Equal([1.0, 2, 3.2, 4.2, 5.2], merged.Timeline.Select(s => s.EndSeconds!.Value));

        // The shared second's p99 is that of both agents' calls in it.
        var shared = AgentRuns.Histogram([]);
        shared.Add(HistogramCodec.Decode(one[2].Histogram!));
        shared.Add(HistogramCodec.Decode(two[0].Histogram!));
        Assert.Equal(shared.GetValueAtPercentile(99), merged.Timeline[2].P99);
        Assert.Equal(shared.GetValueAtPercentile(99), HistogramCodec.Decode(merged.Timeline[2].Histogram!).GetValueAtPercentile(99));
        Assert.Equal(one[2].Endpoints[AgentRuns.Servers[0]].Succeeded + two[0].Endpoints[AgentRuns.Servers[0]].Succeeded, merged.Timeline[2].Endpoints[AgentRuns.Servers[0]].Succeeded);
        // The merged generator second shows the busiest agent's.
        Assert.Equal(30, merged.Timeline[2].Generator.CpuPercent);

        // The clock is the earliest agent's; each agent's start is said on it.
        Assert.Equal(AgentRuns.StartAt, merged.StartedAt);
        Assert.Equal([0, 2.2], merged.Agents!.Select(a => a.StartSeconds));
        Assert.Equal((0.0, 5.2), (merged.Phases[0].StartSeconds, merged.Phases[0].EndSeconds));
        Assert.Equal(Math.Round(1_200 / 5.2, 1), merged.Phases[0].Stats.CallsPerSecond);
    }

    [Theory]
    [InlineData(0.15, true)]
    [InlineData(0.2, false)]
    [InlineData(20, false)]
    public void Agents_that_started_apart_are_not_one_load(double secondsApart, bool valid)
    {
        // Each agent measured 3 s: 5 % of it is 0.15 s.
        var merged = RunMerger.Merge(Pair(AgentRuns.Agent(1, 2, Fast), AgentRuns.Agent(2, 2, Slow, offsetSeconds: secondsApart)));

        Assert.Equal(valid, merged.Verdict.Valid);
        Assert.All(merged.Agents!, a => Assert.True(a.Valid));
        if (!valid)
        {
            var reason = Assert.Single(merged.Verdict.InvalidReasons);
            Assert.Equal(FormattableString.Invariant($"the agents did not run together: agent 2/2 (host-2) started {secondsApart} s after agent 1/2 (host-1), more than 5% of the 3 s measured (start them with one --start-at)"), reason);
        }
    }

    [Fact]
    public void Thresholds_are_judged_on_the_merged_data()
    {
        var scenario = AgentRuns.Scenario with { Thresholds = ["p99 < 10ms", "p50 < 10ms", "rps > 350"] };
        var agents = Pair(AgentRuns.Agent(1, 2, Fast) with { Scenario = scenario }, AgentRuns.Agent(2, 2, Slow) with { Scenario = scenario });

        var merged = RunMerger.Merge(agents);

        var union = AgentRuns.Histogram(Fast.Concat(Slow));
        Assert.Equal(["p99 < 10ms", "p50 < 10ms", "rps > 350"], merged.Verdict.Thresholds.Select(t => t.Threshold));
        Assert.Equal(union.GetValueAtPercentile(99) / 1000.0, merged.Verdict.Thresholds[0].Actual);
        Assert.False(merged.Verdict.Thresholds[0].Passed);
        Assert.True(merged.Verdict.Thresholds[1].Passed);
        // Each agent alone ran 300/s or 100/s; together 400/s.
        Assert.Equal(400, merged.Verdict.Thresholds[2].Actual);
        Assert.True(merged.Verdict.Thresholds[2].Passed);
        Assert.False(merged.Verdict.ThresholdsPassed);
        Assert.True(merged.Verdict.Valid);
    }

    [Fact]
    public void The_merged_run_is_invalid_or_partial_when_an_agent_was_naming_which_and_why()
    {
        var invalid = AgentRuns.Agent(2, 3, Slow) with { Verdict = new Verdict(false, ["calls started up to 9.0 ms late"], true, []) };
        var partial = AgentRuns.Agent(3, 3, Slow) with { Partial = true, PartialReason = "interrupted before the last phase ended" };

        var merged = RunMerger.Merge([("a/result.json", AgentRuns.Agent(1, 3, Fast)), ("b/result.json", invalid), ("c/result.json", partial)]);

        Assert.False(merged.Verdict.Valid);
        Assert.Equal(["agent 2/3 (host-2): calls started up to 9.0 ms late"], merged.Verdict.InvalidReasons);
        Assert.True(merged.Partial);
        Assert.Equal("agent 3/3 (host-3): interrupted before the last phase ended", merged.PartialReason);
        Assert.Equal([true, false, true], merged.Agents!.Select(a => a.Valid));
    }

    [Fact]
    public void Faults_are_kept_on_the_merged_clock()
    {
        var fault = new FaultRecord(0, "kill", 2, "10.0.0.2:5001", "SIGKILL", 1.5, null, 1.6, true, null);
        var agents = Pair(AgentRuns.Agent(1, 2, Fast, offsetSeconds: 0.5) with { Faults = [fault] }, AgentRuns.Agent(2, 2, Slow));

        var merged = RunMerger.Merge(agents);

        var kept = Assert.Single(merged.Faults);
        Assert.Equal((2.0, 2.1), (kept.AtSeconds, kept.DoneSeconds!.Value));
        Assert.Equal("kill instance 2", kept.Label());
    }

    [Fact]
    public void The_merged_result_is_written_and_read_back_whole()
    {
        var merged = RunMerger.Merge(Pair(AgentRuns.Agent(1, 2, Fast), AgentRuns.Agent(2, 2, Slow, offsetSeconds: 0.004)));
        var folder = Directory.CreateTempSubdirectory("loadgen-merge-").FullName;
        try
        {
            var path = ResultJson.WriteNew(merged, folder);

            var read = ResultJson.Read(path);

            Assert.Equal(2, read.Agents!.Count);
            Assert.Equal(0.004, read.Agents[1].StartSeconds, precision: 9);
            Assert.Equal(4, read.Agents[1].Agent.Clock.OffsetMillis!.Value, precision: 9);
            Assert.Equal(merged.Totals.Latency, read.Totals.Latency);
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            Assert.Equal(2, json.RootElement.GetProperty("agents").GetArrayLength());
            Assert.False(json.RootElement.TryGetProperty("agent", out _));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Every percentile a reader may ask for: each tenth of a percent, and the far tail.</summary>
    internal static IEnumerable<double> Percentiles() =>
        Enumerable.Range(0, 1001).Select(i => i / 10.0).Concat([99.95, 99.99, 99.999, 99.9999]);

    private static List<(string Source, RunResult Run)> Pair(params RunResult[] runs) =>
        [.. runs.Select(run => ($"agent-{run.Agent!.Index}/result.json", run))];
}

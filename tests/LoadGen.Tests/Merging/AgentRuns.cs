using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;
using HdrHistogram;

namespace GrpcLoadLab.LoadGen.Tests.Merging;

/// <summary>
/// Agents' results as <c>loadgen run --agent K/N</c> writes them, made from given latencies: every call succeeds, the
/// calls are spread evenly over the agent's seconds and over two servers, and every histogram is a real one.
/// </summary>
internal static class AgentRuns
{
    public static readonly DateTimeOffset StartAt = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    public static readonly IReadOnlyList<string> Servers = ["10.0.0.1:5001", "10.0.0.2:5001"];

    public static Scenario Scenario { get; } = new()
    {
        Name = "agents",
        Phases = [new ConstantConcurrencyPhase(4, TimeSpan.FromSeconds(3))],
        Thresholds = ["p99 < 50ms"],
    };

    public static HistogramBase Histogram(IEnumerable<long> micros)
    {
        var histogram = new LongHistogram(1, 600_000_000, 3);
        foreach (var value in micros)
        {
            histogram.RecordValue(value);
        }

        return histogram;
    }

    /// <summary>Agent <paramref name="index"/> of <paramref name="count"/>, whose load started <paramref name="offsetSeconds"/> after --start-at.</summary>
    public static RunResult Agent(int index, int count, IReadOnlyList<long> latencies, double offsetSeconds = 0, int seconds = 3) =>
        Agent(index, count, Histogram(latencies), Spread(latencies, seconds), offsetSeconds);

    /// <summary>An agent whose totals hold <paramref name="totals"/> and whose seconds hold <paramref name="perSecond"/>.</summary>
    public static RunResult Agent(int index, int count, HistogramBase totals, IReadOnlyList<HistogramBase> perSecond, double offsetSeconds = 0)
    {
        var seconds = perSecond.Count;
        var started = StartAt.AddSeconds(offsetSeconds);
        var stats = Stats(totals, seconds);
        var half = totals.TotalCount / 2;
        return new RunResult(
            RunResult.SchemaName,
            RunResult.CurrentVersion,
            Scenario.Name,
            Partial: false,
            PartialReason: null,
            started,
            started.AddSeconds(seconds),
            Scenario,
            new EnvironmentInfo($"host-{index}", "Linux", 2, 8L << 30, "10.0.0", "1.0.0", 2, Servers, ServerGc: true),
            [new PhaseResult(0, "4 concurrent for 3s", "constant-concurrency", false, 0, seconds, "4 concurrent", stats)],
            stats,
            [.. perSecond.Select((second, i) => Second(i + 1, second))],
            [Endpoint(Servers[0], half, totals), Endpoint(Servers[1], totals.TotalCount - half, totals)],
            [.. Servers.Select(address => new ServerStatsPair(address, null, null))],
            new Verdict(true, [], true, []))
        {
            Agent = new AgentInfo(index, count, $"host-{index}", new AgentClock(StartAt, started, offsetSeconds * 1000, Late: false)),
        };
    }

    public static PhaseStats Stats(HistogramBase latency, double seconds)
    {
        var calls = latency.TotalCount;
        var summary = HistogramSummaries.Summarize(latency);
        return new PhaseStats(seconds, new CallCounts(calls, calls, 0, 0, 0, 0), Math.Round(calls / seconds, 1), new Dictionary<string, long> { ["OK"] = calls }, calls * 10, calls * 20, calls, calls, summary, summary, null, null, null, null);
    }

    /// <summary>The latencies dealt out over <paramref name="seconds"/> seconds, one histogram each.</summary>
    private static List<HistogramBase> Spread(IReadOnlyList<long> latencies, int seconds) =>
        [.. Enumerable.Range(0, seconds).Select(s => Histogram(latencies.Where((_, i) => i % seconds == s)))];

    private static TimelineSecond Second(int second, HistogramBase latency)
    {
        var calls = latency.TotalCount;
        var half = calls / 2;
        var empty = calls == 0;
        return new TimelineSecond(
            second,
            0,
            2,
            calls,
            calls,
            0,
            0,
            1,
            empty ? 0 : latency.GetValueAtPercentile(50),
            empty ? 0 : latency.GetValueAtPercentile(90),
            empty ? 0 : latency.GetValueAtPercentile(99),
            empty ? 0 : latency.GetMaxValue(),
            new Dictionary<string, EndpointSecond> { [Servers[0]] = new(half, 0), [Servers[1]] = new(calls - half, 0) },
            new GeneratorSecond(10 * second, 1, 0, 0),
            second,
            HistogramCodec.Encode(latency));
    }

    private static EndpointResult Endpoint(string address, long succeeded, HistogramBase latency) =>
        new(address, $"server-{address}", succeeded, 0, 0.5, HistogramSummaries.Summarize(latency), succeeded, 0, new Dictionary<string, long>());
}

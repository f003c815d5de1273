using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Tests.Reports;

/// <summary>
/// A complete, valid, passing open-model run over three servers (a warm-up, then 500/s and 1000/s for 10 s each),
/// for tests to change with <c>with</c> expressions.
/// </summary>
internal static class SampleRunResult
{
    public static readonly DateTimeOffset StartedAt = new(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);

    public static RunResult Create()
    {
        var phase2 = Stats(seconds: 10, new CallCounts(5_000, 4_998, 2, 0, 0, 0), Histogram(p50: 1_200, p99: 4_800));
        var phase3 = Stats(seconds: 10, new CallCounts(10_000, 9_992, 6, 2, 0, 12), Histogram(p50: 1_300, p99: 5_200));
        var totals = Stats(seconds: 20, phase2.Calls.Plus(phase3.Calls), Histogram(p50: 1_240, p99: 5_000)) with
        {
            StatusCodes = new Dictionary<string, long> { ["OK"] = 14_990, ["UNAVAILABLE"] = 8, ["CANCELLED"] = 2 },
            ServiceTime = Histogram(p50: 1_100, p99: 4_100),
            ScheduleLag = Histogram(p50: 40, p99: 350),
            Dispatcher = new DispatcherFigures(Histogram(p50: 30, p99: 120), PacedSeconds: 20, RealTimeSeconds: 15, LongestSpinMicros: 250),
        };
        var scenario = new Scenario
        {
            Name = "checkout-smoke",
            Target = new TargetSpec(),
            Call = new CallSpec(),
            Phases =
            [
                new ConstantConcurrencyPhase(50, TimeSpan.FromSeconds(5)) { Warmup = true },
                new ConstantRatePhase(500, TimeSpan.FromSeconds(10)),
                new ConstantRatePhase(1_000, TimeSpan.FromSeconds(10)),
            ],
            Thresholds = ["p99 < 50ms", "errors < 1%"],
        };
        var addresses = new[] { "127.0.0.1:5001", "127.0.0.1:5002", "127.0.0.1:5003" };

        return new RunResult(
            RunResult.SchemaName,
            RunResult.CurrentVersion,
            "checkout-smoke",
            Partial: false,
            PartialReason: null,
            StartedAt,
            StartedAt.AddSeconds(25),
            scenario,
            new EnvironmentInfo("lab-1", "Linux", 8, 16L << 30, "10.0.0", "1.0.0", 3, addresses, ServerGc: true),
            [
                new PhaseResult(1, "50 concurrent for 5s", "constant-concurrency", true, 0, 5, "50",
                    Stats(seconds: 5, new CallCounts(4_812, 4_812, 0, 0, 0, 0), Histogram(p50: 1_020, p99: 3_100))),
                new PhaseResult(2, "500/s for 10s", "constant-rate", false, 5, 15, "500", phase2),
                new PhaseResult(3, "1000/s for 10s", "constant-rate", false, 15, 25, "1000", phase3),
            ],
            totals,
            [],
            [
                Endpoint(addresses[0], "server-5001", 4_997, 2, 0.3334, p99: 4_700, noStatus: 2),
                Endpoint(addresses[1], "server-5002", 4_996, 3, 0.3333, p99: 5_100),
                Endpoint(addresses[2], "server-5003", 4_997, 3, 0.3333, p99: 5_300),
            ],
            [],
            new Verdict(
                Valid: true,
                InvalidReasons: [],
                ThresholdsPassed: true,
                [new ThresholdResult("p99 < 50ms", 5.0, "ms", true), new ThresholdResult("errors < 1%", 0.053, "%", true)]));
    }

    /// <summary>A distribution in microseconds; the other percentiles follow from p50 and p99.</summary>
    public static HistogramSummary Histogram(long p50, long p99) =>
        new(Count: 1_000, Min: p50 / 2, Mean: p50 * 1.2, P50: p50, P90: p50 * 2, P99: p99, P999: p99 * 2, P9999: p99 * 3, Max: p99 * 4, Encoded: "");

    private static PhaseStats Stats(double seconds, CallCounts calls, HistogramSummary latency) =>
        new(
            seconds,
            calls,
            (calls.Succeeded + calls.Failed) / seconds,
            new Dictionary<string, long> { ["OK"] = calls.Succeeded },
            BytesSent: 0,
            BytesReceived: 0,
            MessagesSent: calls.Started,
            MessagesReceived: calls.Succeeded,
            latency,
            latency,
            ScheduleLag: null,
            FirstMessage: null,
            MessageLatency: null,
            InterArrival: null);

    private static EndpointResult Endpoint(string address, string instance, long succeeded, long failed, double share, long p99, long noStatus = 0) =>
        new(address, instance, succeeded, failed, share, Histogram(p50: 1_200, p99), Picks: succeeded + failed + noStatus, RetryAttempts: 0,
            new Dictionary<string, long> { ["UNAVAILABLE"] = failed }, noStatus);
}

using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Tests.Reports;

public class SummaryTextTests
{
    private const string ResultPath = "reports/20250601-100000-checkout-smoke/result.json";

    [Fact]
    public void A_complete_run_shows_its_phases_totals_servers_verdict_and_result_path()
    {
        var summary = Print(SampleRunResult.Create());

        Assert.StartsWith("checkout-smoke\nran 25.0 s, from 2025-06-01 10:00:00 +00:00\n", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("PARTIAL", summary, StringComparison.Ordinal);
        Assert.Contains("  1  50 concurrent for 5s (WARM-UP)   4,812    962.4     1.0     3.1          0\n", summary, StringComparison.Ordinal);
        Assert.Contains("  2  500/s for 10s                    5,000    500.0     1.2     4.8  2 (0.04%)\n", summary, StringComparison.Ordinal);
        Assert.Contains("  3  1000/s for 10s                  10,000    999.8     1.3     5.2  6 (0.06%)\n", summary, StringComparison.Ordinal);
        Assert.Contains("  calls started  15,000 = 14,990 succeeded + 8 failed + 2 cancelled\n", summary, StringComparison.Ordinal);
        Assert.Contains("  dropped, late  0 dropped, 12 started late\n", summary, StringComparison.Ordinal);
        Assert.Contains("  calls/s        749.9\n", summary, StringComparison.Ordinal);
        Assert.Contains("  errors         0.05% (8 failed)\n", summary, StringComparison.Ordinal);
        Assert.Contains("  latency        p50 1.2 ms  p90 2.5 ms  p99 5.0 ms  p99.9 10.0 ms  max 20.0 ms\n", summary, StringComparison.Ordinal);
        Assert.Contains("  OK           14,990  99.93%\n", summary, StringComparison.Ordinal);
        Assert.Contains("  UNAVAILABLE       8   0.05%\n", summary, StringComparison.Ordinal);
        Assert.Contains("  instance     address         calls  share  p99 ms  failed  no status\n", summary, StringComparison.Ordinal);
        Assert.Contains("  server-5001  127.0.0.1:5001  4,999  33.3%     4.7       2          2\n", summary, StringComparison.Ordinal);
        Assert.Contains("verdict: PASSED\n  run: valid\n  thresholds: all 2 passed\n", summary, StringComparison.Ordinal);
        Assert.Contains("    PASS    p99 < 50ms     5 ms\n", summary, StringComparison.Ordinal);
        Assert.Contains("    PASS    errors < 1%  0.053%\n", summary, StringComparison.Ordinal);
        Assert.EndsWith($"\nresult: {ResultPath}\n", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void An_open_model_run_shows_service_time_schedule_lag_and_the_dispatchers_wake_ups_beside_latency()
    {
        var summary = Print(SampleRunResult.Create());

        Assert.Contains(
            "  latency        p50 1.2 ms  p90 2.5 ms  p99 5.0 ms  p99.9 10.0 ms  max 20.0 ms\n"
            + "  service time   p99 4.1 ms\n"
            + "  schedule lag   p99 0.35 ms\n"
            + "  dispatcher     woken up to 0.12 ms late at p99 (max 0.48 ms), at real-time priority 75% of the time, spinning up to 0.25 ms before a call\n",
            summary,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_closed_model_run_has_no_schedule_lag_and_a_streaming_run_shows_its_message_figures()
    {
        var result = SampleRunResult.Create();
        var summary = Print(result with
        {
            Totals = result.Totals with
            {
                ScheduleLag = null,
                Dispatcher = null,
                FirstMessage = SampleRunResult.Histogram(p50: 800, p99: 2_000),
                InterArrival = SampleRunResult.Histogram(p50: 150, p99: 900),
                MessagesSent = 15_000,
                MessagesReceived = 149_900,
            },
        });

        Assert.DoesNotContain("schedule lag", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("dispatcher", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("service time", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("message lat.", summary, StringComparison.Ordinal);
        Assert.Contains("  first message  p50 0.80 ms  p90 1.6 ms  p99 2.0 ms  p99.9 4.0 ms  max 8.0 ms\n", summary, StringComparison.Ordinal);
        Assert.Contains("  inter-arrival  p50 0.15 ms  p90 0.30 ms  p99 0.90 ms  p99.9 1.8 ms  max 3.6 ms\n", summary, StringComparison.Ordinal);
        Assert.Contains("  messages       15,000 sent, 149,900 received\n", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_partial_run_is_marked_with_its_reason()
    {
        var summary = Print(SampleRunResult.Create() with { Partial = true, PartialReason = "interrupted (Ctrl-C)" });

        Assert.StartsWith("checkout-smoke\nPARTIAL: interrupted (Ctrl-C); the figures cover what ran\n", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_run_fails_and_lists_its_reasons()
    {
        var result = SampleRunResult.Create();
        var summary = Print(result with
        {
            Verdict = result.Verdict with
            {
                Valid = false,
                InvalidReasons = ["schedule lag p99 was 12.0 ms, over the 10 ms limit", "generator CPU at 97%"],
            },
        });

        Assert.Contains(
            "verdict: FAILED\n"
            + "  run: INVALID (the generator could not keep up: these figures measured it, not the servers)\n"
            + "    - schedule lag p99 was 12.0 ms, over the 10 ms limit\n"
            + "    - generator CPU at 97%\n"
            + "  thresholds: all 2 passed\n",
            summary,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Failing_thresholds_show_each_actual_value_and_fail_the_verdict()
    {
        var result = SampleRunResult.Create();
        var summary = Print(result with
        {
            Verdict = result.Verdict with
            {
                ThresholdsPassed = false,
                Thresholds =
                [
                    new ThresholdResult("p99 < 50ms", 61.25, "ms", false),
                    new ThresholdResult("errors < 1%", 0.053, "%", true),
                    new ThresholdResult("rate > 900", 749.9, "", false),
                ],
            },
        });

        Assert.Contains(
            "verdict: FAILED\n"
            + "  run: valid\n"
            + "  thresholds: 2 of 3 FAILED\n"
            + "    result  threshold      actual\n"
            + "    FAIL    p99 < 50ms   61.25 ms\n"
            + "    PASS    errors < 1%    0.053%\n"
            + "    FAIL    rate > 900      749.9\n",
            summary,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_without_thresholds_says_so()
    {
        var result = SampleRunResult.Create();
        var summary = Print(result with { Verdict = result.Verdict with { Thresholds = [] } });

        Assert.Contains("verdict: PASSED\n  run: valid\n  thresholds: none\n", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Calls_that_do_not_add_up_are_flagged()
    {
        var result = SampleRunResult.Create();
        var summary = Print(result with { Totals = result.Totals with { Calls = result.Totals.Calls with { Started = 15_001 } } });

        Assert.Contains("  calls started  15,001 = 14,990 succeeded + 8 failed + 2 cancelled  (DOES NOT ADD UP)\n", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_phase_without_calls_shows_dashes_for_its_latency()
    {
        var result = SampleRunResult.Create();
        var pause = result.Phases[1] with
        {
            Name = "pause 5s",
            Stats = result.Phases[1].Stats with
            {
                Calls = CallCounts.Zero,
                CallsPerSecond = 0,
                Latency = SampleRunResult.Histogram(0, 0) with { Count = 0 },
            },
        };
        var summary = Print(result with { Phases = [pause] });

        Assert.Contains("  2  pause 5s      0      0.0       -       -       0\n", summary, StringComparison.Ordinal);
    }

    private static string Print(RunResult result) => SummaryText.Render(result, ResultPath);
}

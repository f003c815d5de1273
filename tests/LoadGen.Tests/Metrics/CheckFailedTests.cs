using System.Diagnostics;
using Grpc.Core;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Tests.Reports;

namespace GrpcLoadLab.LoadGen.Tests.Metrics;

/// <summary>
/// A call that ended OK with a reply that failed the call's checks counts as failed, under CHECK_FAILED of its own,
/// in the phase, the totals and the timeline; the first mismatch is kept as the example the summary and the page show.
/// </summary>
public class CheckFailedTests
{
    private static readonly GeneratorSecond Idle = new(0, 0, 0, 0);

    [Fact]
    public void A_reply_that_fails_the_check_fails_its_call_under_its_own_status_with_the_first_mismatch_kept()
    {
        var scenario = new Scenario { Name = "checked", Phases = [new ConstantConcurrencyPhase(2, TimeSpan.FromSeconds(10))] };
        var recorder = new RunRecorder(scenario, Stopwatch.GetTimestamp());
        var phase = recorder.Phases[0];
        foreach (var (status, mismatch) in new (StatusCode, string?)[]
        {
            (StatusCode.OK, null), (StatusCode.OK, "$.name: expected \"x\", got \"y\""), (StatusCode.Unavailable, null),
            (StatusCode.OK, "$.name: expected \"x\", got \"z\""), (StatusCode.OK, null),
        })
        {
            var now = Stopwatch.GetTimestamp();
            recorder.CallStarted(phase, now, now);
            recorder.CallEnded(phase, new CallRecord(now, now, 0, now + 1000, status, false, null, 10, 10, 1, 1, mismatch));
        }

        var stats = phase.Stats(1);
        Assert.Equal((2L, 3L), (stats.Calls.Succeeded, stats.Calls.Failed));
        Assert.Equal([("CHECK_FAILED", 2L), ("OK", 2L), ("UNAVAILABLE", 1L)], stats.StatusCodes.Select(pair => (pair.Key, pair.Value)));
        Assert.Equal(stats.StatusCodes, PhaseRecorder.Merge(recorder.Phases, 1).StatusCodes);
        Assert.Equal(2, stats.Latency.Count);
        Assert.Equal("$.name: expected \"x\", got \"y\"", recorder.FirstMismatch);
        var second = recorder.CloseSecond(0, 2, new Dictionary<string, EndpointSecond>(), Idle);
        Assert.Equal((2L, 3L), (second.Succeeded, second.Failed));
    }

    [Fact]
    public void The_summary_and_the_page_show_how_many_failed_the_check_and_one_example()
    {
        var sample = SampleRunResult.Create();
        var summary = SummaryText.Render(WithMismatch(sample), "result.json");
        Assert.Matches("\n  CHECK_FAILED +8 +0\\.05%\n  a reply that failed the check: \\$\\.name: expected \"x\", got \"<y>\"\n", summary);

        var run = TestRuns.Read("unary-open");
        var page = RunPage.Render(WithMismatch(run));
        Assert.Contains("<p id=\"check-mismatch\">A reply that failed the check: <code>$.name: expected &quot;x&quot;, got &quot;&lt;y&gt;&quot;</code></p>", page, StringComparison.Ordinal);
        Assert.Contains("CHECK_FAILED", RunReportTests.Table(page, "status-codes-table"), StringComparison.Ordinal);
        Assert.DoesNotContain("check-mismatch", RunPage.Render(run), StringComparison.Ordinal);
    }

    private static RunResult WithMismatch(RunResult run) => run with
    {
        Totals = run.Totals with { StatusCodes = new Dictionary<string, long> { ["OK"] = 14_990, ["CHECK_FAILED"] = 8 } },
        CheckMismatch = "$.name: expected \"x\", got \"<y>\"",
    };
}

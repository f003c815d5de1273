using System.Diagnostics;
using Grpc.Core;
using GrpcLoadLab.LoadGen.Merging;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Tests.Merging;
using GrpcLoadLab.LoadGen.Tests.Reports;

namespace GrpcLoadLab.LoadGen.Tests.Metrics;

/// <summary>
/// Why calls failed: each failed status's details, counted per detail up to a bound, the rest counted as unlisted, so
/// that a status's details and its unlisted calls add up to its count in the phase, the totals and a merged run.
/// </summary>
public class FailureDetailsTests
{
    [Fact]
    public void A_phase_counts_each_failed_status_by_detail_the_most_frequent_first()
    {
        var recorder = Recorder(phases: 1);
        End(recorder, 0, StatusCode.OK, null, times: 5);
        End(recorder, 0, StatusCode.Unavailable, "Error connecting to subchannel.", times: 3);
        End(recorder, 0, StatusCode.Unavailable, "the server is draining", times: 4);
        End(recorder, 0, StatusCode.ResourceExhausted, string.Empty, times: 2);

        var stats = recorder.Phases[0].Stats(1);

        Assert.Equal(["RESOURCE_EXHAUSTED", "UNAVAILABLE"], stats.Failures!.Keys);
        Assert.Equal([new FailureDetail("the server is draining", 4), new FailureDetail("Error connecting to subchannel.", 3)], stats.Failures["UNAVAILABLE"].Details);
        Assert.Equal([new FailureDetail(string.Empty, 2)], stats.Failures["RESOURCE_EXHAUSTED"].Details);
        AssertAddsUp(stats);
    }

    [Fact]
    public void Details_beyond_the_bound_are_counted_as_unlisted_and_the_totals_of_phases_rank_them_again()
    {
        var recorder = Recorder(phases: 2);
        // Phase 0 meets 12 distinct details once each: the first 8 are kept.
        for (var i = 0; i < 12; i++)
        {
            End(recorder, 0, StatusCode.Unavailable, $"connection {i} lost", times: 1);
        }

        // Phase 1 meets detail 11 (unlisted in phase 0) 5 times, and detail 0 twice.
        End(recorder, 1, StatusCode.Unavailable, "connection 11 lost", times: 5);
        End(recorder, 1, StatusCode.Unavailable, "connection 0 lost", times: 2);

        var first = recorder.Phases[0].Stats(1).Failures!["UNAVAILABLE"];
        Assert.Equal(StatusFailures.MaxDetails, first.Details.Count);
        Assert.Equal(12 - StatusFailures.MaxDetails, first.Unlisted);

        var totals = PhaseRecorder.Merge(recorder.Phases, 2);
        var unavailable = totals.Failures!["UNAVAILABLE"];
        Assert.Equal(new FailureDetail("connection 11 lost", 5), unavailable.Details[0]);
        Assert.Equal(new FailureDetail("connection 0 lost", 3), unavailable.Details[1]);
        Assert.Equal(StatusFailures.MaxDetails, unavailable.Details.Count);
        AssertAddsUp(totals);
    }

    [Fact]
    public void A_call_that_fails_the_check_keeps_its_example_apart_and_an_ok_call_gives_no_detail()
    {
        var recorder = Recorder(phases: 1);
        var now = Stopwatch.GetTimestamp();
        recorder.CallStarted(recorder.Phases[0], now, now);
        recorder.CallEnded(recorder.Phases[0], new CallRecord(now, now, 0, now + 1, StatusCode.OK, false, null, 0, 0, 1, 1, Mismatch: "$.name: expected \"x\""));
        End(recorder, 0, StatusCode.OK, null, times: 2);

        Assert.Empty(recorder.Phases[0].Stats(1).Failures!);
    }

    [Theory]
    [InlineData("Status(StatusCode=\"Unavailable\")", "Status(StatusCode=\"Unavailable\")")]
    [InlineData("first line\r\n  second line\n", "first line second line")]
    [InlineData("\u001b]0;owned\u0007\u001b[2Jquota used up\tnow", "]0;owned [2Jquota used up now")]
    public void A_detail_is_kept_on_one_line_free_of_control_characters(string detail, string kept) =>
        Assert.Equal(kept, StatusFailures.Normalize(detail));

    [Fact]
    public void A_long_detail_is_cut_to_the_bound_and_says_so()
    {
        var kept = StatusFailures.Normalize(new string('x', 1_000));

        Assert.Equal(StatusFailures.MaxDetailLength, kept.Length);
        Assert.EndsWith("…", kept, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failure_is_described_by_its_status_detail_or_else_by_its_exception()
    {
        Assert.Equal("the server is draining", FailureTally.Describe(new RpcException(new Status(StatusCode.Unavailable, "the server is draining"))));
        Assert.Equal("IOException: The request was aborted.", FailureTally.Describe(new IOException("The request was aborted.")));
    }

    [Fact]
    public void Merged_agents_add_their_details_and_a_part_without_them_leaves_the_merge_without_them()
    {
        var one = WithFailures(AgentRuns.Agent(1, 2, [1_000, 2_000]), new() { ["UNAVAILABLE"] = new([new("draining", 3), new("refused", 1)], 2) });
        var two = WithFailures(AgentRuns.Agent(2, 2, [1_000, 2_000]), new() { ["UNAVAILABLE"] = new([new("refused", 4)], 0), ["INTERNAL"] = new([new("bug", 1)], 0) });

        var merged = RunMerger.Merge([("a/result.json", one), ("b/result.json", two)]).Totals.Failures!;

        Assert.Equal([new FailureDetail("refused", 5), new FailureDetail("draining", 3)], merged["UNAVAILABLE"].Details);
        Assert.Equal(2, merged["UNAVAILABLE"].Unlisted);
        Assert.Equal([new FailureDetail("bug", 1)], merged["INTERNAL"].Details);
        var legacy = one with { Totals = one.Totals with { Failures = null } };
        Assert.Null(RunMerger.Merge([("a/result.json", legacy), ("b/result.json", two)]).Totals.Failures);
    }

    [Fact]
    public void The_summary_and_the_page_list_each_detail_with_its_calls_and_the_unlisted_ones()
    {
        var failures = new Dictionary<string, StatusFailures>
        {
            ["UNAVAILABLE"] = new([new("Error connecting to subchannel.", 30), new(string.Empty, 2)], 7),
            ["DEADLINE_EXCEEDED"] = new([new("Deadline Exceeded <5 s>", 1_200)], 0),
        };
        var run = TestRuns.Read("unary-open");
        run = run with
        {
            Totals = run.Totals with
            {
                StatusCodes = new Dictionary<string, long> { ["OK"] = 14_000, ["DEADLINE_EXCEEDED"] = 1_200, ["UNAVAILABLE"] = 39 },
                Failures = failures,
            },
        };

        var summary = SummaryText.Render(run, "result.json");
        Assert.Matches(
            "why calls failed\n  status +calls +detail\n  DEADLINE_EXCEEDED +1,200 +Deadline Exceeded <5 s>\n  UNAVAILABLE +30 +Error connecting to subchannel\\.\n"
            + "  UNAVAILABLE +2 +\\(the status carried no detail\\)\n  UNAVAILABLE +7 +\\(other details: the first 8 distinct ones of a status are kept\\)\n",
            summary);

        var rows = RunReportTests.Rows(RunReportTests.Table(RunPage.Render(run), "failures-table"));
        Assert.Equal(
            [
                "<th>status</th><th>calls</th><th>why they failed</th>",
                "<td>DEADLINE_EXCEEDED</td><td>1,200</td><td>Deadline Exceeded &lt;5 s&gt;</td>",
                "<td>UNAVAILABLE</td><td>30</td><td>Error connecting to subchannel.</td>",
                "<td>UNAVAILABLE</td><td>2</td><td>(the status carried no detail)</td>",
                "<td>UNAVAILABLE</td><td>7</td><td>(other details: the first 8 distinct ones of a status are kept)</td>",
            ],
            rows.Select(r => r[(r.IndexOf('>') + 1)..r.LastIndexOf("</tr>", StringComparison.Ordinal)]));
    }

    [Fact]
    public void A_result_from_before_failures_were_recorded_shows_none()
    {
        var run = TestRuns.Read("unary-open");
        run = run with { Totals = run.Totals with { Failures = null } };

        Assert.DoesNotContain("why calls failed", SummaryText.Render(run, "result.json"), StringComparison.Ordinal);
        Assert.DoesNotContain("failures-table", RunPage.Render(run), StringComparison.Ordinal);
    }

    private static RunRecorder Recorder(int phases) => new(
        new Scenario { Name = "failing", Phases = [.. Enumerable.Range(0, phases).Select(_ => new ConstantConcurrencyPhase(2, TimeSpan.FromSeconds(10)))] },
        Stopwatch.GetTimestamp());

    private static void End(RunRecorder recorder, int phase, StatusCode status, string? detail, int times)
    {
        for (var i = 0; i < times; i++)
        {
            var now = Stopwatch.GetTimestamp();
            recorder.CallStarted(recorder.Phases[phase], now, now);
            recorder.CallEnded(recorder.Phases[phase], new CallRecord(now, now, 0, now + 1, status, false, null, 0, 0, 1, 1, Failure: detail));
        }
    }

    /// <summary>Each failed status's kept details and its unlisted calls add up to its count.</summary>
    private static void AssertAddsUp(PhaseStats stats)
    {
        var failed = stats.StatusCodes.Where(s => s.Key != "OK").ToList();
        Assert.Equal(failed.Select(s => s.Key).Order(StringComparer.Ordinal), stats.Failures!.Keys.Order(StringComparer.Ordinal));
        foreach (var (status, count) in failed)
        {
            Assert.Equal(count, stats.Failures[status].Details.Sum(d => d.Calls) + stats.Failures[status].Unlisted);
        }
    }

    private static RunResult WithFailures(RunResult run, Dictionary<string, StatusFailures> failures) =>
        run with { Totals = run.Totals with { Failures = failures }, Phases = [.. run.Phases.Select(p => p with { Stats = p.Stats with { Failures = failures } })] };
}

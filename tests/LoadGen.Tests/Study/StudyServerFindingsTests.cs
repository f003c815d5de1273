using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Study;
using GrpcLoadLab.LoadGen.Tests.Reports;

namespace GrpcLoadLab.LoadGen.Tests.Study;

/// <summary>
/// The study reads the servers' own timelines: which instances saturated their CPU, where calls queued for a capacity
/// slot or in Kestrel's queue of received streams, Little's law per instance; and says so when the runs did not follow their servers.
/// </summary>
public class StudyServerFindingsTests
{
    private static readonly PhaseResult Measured = TestRuns.Read("unary-closed").Phases.Single(p => !p.Warmup);

    [Fact]
    public void Without_the_servers_timelines_the_findings_say_so_and_stay_as_they_were()
    {
        var study = new StudySweeps().Grid("io", [1, 2], [[4, 8], [8, 16]], [[200, 390], [400, 780]]).Analysis().Profiles[0];

        var paragraphs = StudyExplanation.Of(study, cores: 2);

        Assert.Equal(4, paragraphs.Count);
        Assert.Equal(
            "The servers' own timelines were not recorded in these runs (results written before loadgen followed the servers, or runs with --no-follow): the findings use only each server's counters at its run's start and end.",
            paragraphs[2]);
    }

    [Fact]
    public void An_instance_at_its_cores_and_calls_queued_for_slots_are_named()
    {
        // 2 cores each: a burns 1.9 of them (95 %) with 6 calls queued for a slot; b burns 0.5 (25 %) with none.
        var run = StudySweeps.Run(400, 20) with
        {
            ServerTimelines = [Timeline("127.0.0.1:5301", "a", cpuMicros: 1_900_000, queued: 6, queuedRequests: 0), Timeline("127.0.0.1:5302", "b", cpuMicros: 500_000, queued: 0, queuedRequests: 0)],
        };
        var study = new StudySweeps().Cell("io", 2, 8, StudySweeps.Run(390, 20)).Cell("io", 2, 16, run).Analysis().Profiles[0];

        var servers = ServersParagraph(study);

        Assert.StartsWith("The servers' own timelines: at 16 concurrent on 2 instances, a kept 95% of its 2 cores busy (peak 95%), 6 calls queued for a slot on average (peak 6), 0 streams queued in Kestrel (peak 0); b kept 25% of its 2 cores busy", servers, StringComparison.Ordinal);
        Assert.Contains("a saturated its CPU (at least 85% of its cores on average): the work's CPU was the limit there.", servers, StringComparison.Ordinal);
        Assert.Contains("Calls queued at the capacity limit on a.", servers, StringComparison.Ordinal);
        Assert.Contains("Kestrel queued no stream for a thread.", servers, StringComparison.Ordinal);
    }

    [Fact]
    public void Streams_queued_in_kestrel_are_named_and_little_s_law_is_checked_per_instance()
    {
        // b: 8 calls in flight, 400 calls/s of 20 ms each = 8: the law holds; its streams waited in Kestrel's queue.
        var run = StudySweeps.Run(400, 20) with
        {
            ServerTimelines = [Timeline("127.0.0.1:5302", "b", cpuMicros: 300_000, queued: 0, queuedRequests: 12, inFlight: 8, ended: 400, durationMicros: 20_000)],
        };
        var study = new StudySweeps().Cell("io", 1, 8, StudySweeps.Run(390, 20)).Cell("io", 1, 16, run).Analysis().Profiles[0];

        var servers = ServersParagraph(study);

        Assert.Contains("No instance saturated its CPU. No call waited for a capacity slot. Kestrel queued received streams for a thread on b: calls waited before the server's handler began them", servers, StringComparison.Ordinal);
        Assert.EndsWith("Little's law held on every instance within 0.0% (calls in flight measured against throughput × mean duration).", servers, StringComparison.Ordinal);
    }

    private static string ServersParagraph(ProfileStudy study) =>
        Assert.Single(StudyExplanation.Of(study, cores: 2), p => p.StartsWith("The servers' own timelines:", StringComparison.Ordinal));

    /// <summary>An instance's timeline: two whole seconds inside the measured phase, alike.</summary>
    private static ServerTimeline Timeline(string address, string id, long cpuMicros, long queued, long queuedRequests, long inFlight = 0, long ended = 0, long durationMicros = 0)
    {
        var seconds = Enumerable.Range(0, 2).Select(i => new ServerTimelineSecond(
            i,
            Measured.StartSeconds + i,
            1,
            inFlight,
            queued,
            0,
            0,
            ended > 0 ? new Dictionary<string, ServerCallCounts> { ["unary"] = new(ended, 0, 0) } : [],
            new Dictionary<string, long>(),
            ended > 0 ? new ServerDuration(ended, ended * durationMicros, durationMicros, durationMicros, durationMicros, durationMicros, "") : null,
            cpuMicros,
            2,
            0,
            0,
            8,
            0,
            0,
            1,
            0,
            queuedRequests,
            0,
            1,
            false)).ToList();
        return new ServerTimeline(address, id, null, seconds, [], 0, 0);
    }
}

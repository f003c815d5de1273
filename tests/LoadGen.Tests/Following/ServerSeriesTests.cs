using Google.Protobuf;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Following;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Tests.Following;

/// <summary>
/// What is kept of the seconds an instance sends: those that overlap the run, each once, gaps where indexes are
/// missing, a restarted instance's seconds after its former process's, at most <c>MostSeconds</c>.
/// </summary>
public class ServerSeriesTests
{
    /// <summary>The run starts 10.5 s into the instance's life (its seconds start at whole seconds from 0).</summary>
    private const long RunStart = 10_500_000;

    [Fact]
    public void Seconds_before_the_run_and_after_its_end_are_left_out()
    {
        var series = new ServerSeries(RunStart);
        for (var i = 0; i < 20; i++)
        {
            series.Add(Second(i));
        }

        var timeline = series.ToTimeline("127.0.0.1:1", runEndUnixMicros: 15_200_000, notFollowed: null, reopened: 0);

        // Second 10 runs from 10 s to 11 s: it holds the run's start; second 15 holds its end.
        Assert.Equal([10L, 11, 12, 13, 14, 15], timeline.Seconds.Select(s => s.Index));
        Assert.Equal(-0.5, timeline.Seconds[0].StartSeconds);
        Assert.Equal(4.5, timeline.Seconds[^1].StartSeconds);
        Assert.Empty(timeline.Gaps);
        Assert.Equal("server-1", timeline.InstanceId);
    }

    [Fact]
    public void A_stream_opened_again_sends_recent_seconds_that_are_kept_once()
    {
        var series = new ServerSeries(RunStart);
        foreach (var i in new[] { 10, 11, 12, /* opened again with recent seconds */ 10, 11, 12, 13 })
        {
            series.Add(Second(i));
        }

        Assert.Equal([10L, 11, 12, 13], series.ToTimeline("a", long.MaxValue, null, 1).Seconds.Select(s => s.Index));
    }

    [Fact]
    public void Missing_indexes_are_a_gap_with_its_place_in_the_run()
    {
        var series = new ServerSeries(RunStart);
        foreach (var i in new[] { 10, 11, 15, 16 })
        {
            series.Add(Second(i));
        }

        var gap = Assert.Single(series.ToTimeline("a", long.MaxValue, null, 0).Gaps);
        Assert.Equal((12L, 14L, 1.5, 4.5), (gap.FromIndex, gap.ToIndex, gap.FromSeconds, gap.ToSeconds));
    }

    [Fact]
    public void A_restarted_instance_starts_again_at_index_0_after_its_former_process()
    {
        var series = new ServerSeries(RunStart);
        series.Add(Second(10));
        series.Add(Second(11));
        // The new process started at 14.2 s: its first second is short, its index 0.
        series.Add(Second(0, start: 14_200_000, length: 800_000));
        series.Add(Second(1, start: 15_000_000));

        var timeline = series.ToTimeline("a", long.MaxValue, null, 3);

        Assert.Equal([10L, 11, 0, 1], timeline.Seconds.Select(s => s.Index));
        Assert.Empty(timeline.Gaps);
        Assert.Equal(0.8, timeline.Seconds[2].LengthSeconds);
        Assert.Equal(3, timeline.Reopened);
    }

    [Fact]
    public void At_most_MostSeconds_are_kept_and_the_rest_counted()
    {
        var series = new ServerSeries(0);
        for (var i = 0; i < ServerTimeline.MostSeconds + 5; i++)
        {
            series.Add(Second(i));
        }

        var timeline = series.ToTimeline("a", long.MaxValue, null, 0);
        Assert.Equal(ServerTimeline.MostSeconds, timeline.Seconds.Count);
        Assert.Equal(5, timeline.SecondsNotKept);
    }

    [Fact]
    public void Every_field_is_kept_in_the_result_s_form()
    {
        var series = new ServerSeries(RunStart);
        var second = Second(11);
        second.InFlight = 7;
        second.Queued = 3;
        second.Rejected = 2;
        second.Unary = new CallKindSecond { Completed = 100, Failed = 4, Cancelled = 1 };
        second.Bidi = new CallKindSecond();
        second.FailuresByStatus.Add(8, 2);
        second.FailuresByStatus.Add(4, 4);
        second.CallDuration = new DurationSecond { Count = 105, TotalMicros = 210_000, MaxMicros = 9_000, P50Micros = 1_900, P90Micros = 3_000, P99Micros = 8_000, Histogram = ByteString.CopyFrom([1, 2, 3]) };
        second.CpuMicros = 450_000;
        second.ProcessorCount = 2;
        second.QueuedRequests = 5;
        second.ThreadPoolQueueLength = 9;
        second.Draining = true;

        series.Add(second);
        var kept = Assert.Single(series.ToTimeline("a", long.MaxValue, null, 0).Seconds);

        Assert.Equal((7L, 3L, 2L, 5L, 9L, true), (kept.InFlight, kept.Queued, kept.Rejected, kept.QueuedRequests, kept.ThreadPoolQueue, kept.Draining));
        Assert.Equal(new Dictionary<string, ServerCallCounts> { ["unary"] = new(100, 4, 1) }, kept.Calls);
        Assert.Equal(105, kept.Ended);
        Assert.Equal(new Dictionary<string, long> { ["RESOURCE_EXHAUSTED"] = 2, ["DEADLINE_EXCEEDED"] = 4 }, kept.FailuresByStatus);
        Assert.Equal(new ServerDuration(105, 210_000, 9_000, 1_900, 3_000, 8_000, "AQID"), kept.CallDuration);
        Assert.Equal(2000, kept.CallDuration!.MeanMicros);
        Assert.Equal(0.45, kept.CpuCores, 6);
    }

    private static ServerSecond Second(long index, long? start = null, long length = 1_000_000) => new()
    {
        InstanceId = "server-1",
        Index = index,
        StartUnixMicros = start ?? index * 1_000_000,
        LengthMicros = length,
    };
}

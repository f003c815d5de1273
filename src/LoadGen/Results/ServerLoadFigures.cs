namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// One instance's own timeline summed up over the run's measured phases (its seconds whose middle falls in a measured
/// phase): what the report's per-server table shows and what the study's findings read. Little's law per instance:
/// the calls in flight it measured (<see cref="MeanInFlight"/>, read at each second's end) against those its
/// throughput and mean duration imply (<see cref="LittleInFlight"/> = X × W).
/// </summary>
/// <param name="Seconds">Measured seconds of the instance.</param>
/// <param name="Throughput">The lab's calls that ended a second on the instance (X).</param>
/// <param name="MeanDurationMs">Mean server-side duration (W), admission to end; null when no call ended.</param>
/// <param name="MeanQueued">Calls waiting for a capacity slot, on average at the seconds' ends.</param>
/// <param name="MeanQueuedRequests">HTTP/2 streams Kestrel had received and queued for a thread, not yet started, on average at the seconds' ends.</param>
/// <param name="CpuShare">Of the cores the instance could use, the share it kept busy on average (1 = all of them).</param>
/// <param name="PeakCpuShare">The same in its busiest second.</param>
public sealed record ServerLoadFigures(
    string Address,
    string InstanceId,
    int Seconds,
    double MeanInFlight,
    double Throughput,
    double? MeanDurationMs,
    double MeanQueued,
    long PeakQueued,
    double MeanQueuedRequests,
    long PeakQueuedRequests,
    long Rejected,
    int Cores,
    double CpuShare,
    double PeakCpuShare,
    double GcPauseMsPerSecond,
    long PeakThreadPoolQueue)
{
    /// <summary>Little's law, L = X × W: the calls in flight that the throughput and the mean duration imply.</summary>
    public double? LittleInFlight => MeanDurationMs is { } w ? Throughput * w / 1000 : null;

    /// <summary>How far the measured calls in flight are from Little's law, as a share of it; null when it cannot be computed.</summary>
    public double? LittleDeviation => LittleInFlight is { } computed && computed > 0 ? (MeanInFlight - computed) / computed : null;

    /// <summary>
    /// Each followed instance with a measured second, by address; empty when none was followed or the run has no
    /// series (results written before the servers were followed, runs with <c>--no-follow</c>).
    /// </summary>
    public static IReadOnlyList<ServerLoadFigures> Of(RunResult result)
    {
        var measured = result.Phases.Where(p => !p.Warmup).Select(p => (p.StartSeconds, p.EndSeconds)).ToList();
        return
        [
            .. (result.ServerTimelines ?? [])
                .Select(t => (Timeline: t, Seconds: t.Seconds.Where(s => measured.Any(p => Middle(s) >= p.StartSeconds && Middle(s) <= p.EndSeconds)).ToList()))
                .Where(t => t.Seconds.Count > 0)
                .Select(t => Of(t.Timeline, t.Seconds)),
        ];
    }

    private static ServerLoadFigures Of(ServerTimeline timeline, List<ServerTimelineSecond> seconds)
    {
        var length = seconds.Sum(s => s.LengthSeconds);
        var durations = seconds.Select(s => s.CallDuration).OfType<ServerDuration>().ToList();
        var count = durations.Sum(d => d.Count);
        var cores = Math.Max(1, seconds[^1].ProcessorCount);
        return new ServerLoadFigures(
            timeline.Address,
            timeline.InstanceId ?? "?",
            seconds.Count,
            seconds.Average(s => (double)s.InFlight),
            length > 0 ? seconds.Sum(s => s.Ended) / length : 0,
            count > 0 ? durations.Sum(d => d.TotalMicros) / (double)count / 1000 : null,
            seconds.Average(s => (double)s.Queued),
            seconds.Max(s => s.Queued),
            seconds.Average(s => (double)s.QueuedRequests),
            seconds.Max(s => s.QueuedRequests),
            seconds.Sum(s => s.Rejected),
            cores,
            length > 0 ? seconds.Sum(s => s.CpuMicros) / (length * 1e6) / cores : 0,
            seconds.Max(s => s.CpuCores) / cores,
            length > 0 ? seconds.Sum(s => s.GcPauseMicros) / 1000.0 / length : 0,
            seconds.Max(s => s.ThreadPoolQueue));
    }

    private static double Middle(ServerTimelineSecond second) => second.StartSeconds + (second.LengthSeconds / 2);
}

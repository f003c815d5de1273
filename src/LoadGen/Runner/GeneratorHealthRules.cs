using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Runner;

/// <summary>
/// When a run is invalid because the generator could not keep up. Each rule names a limit and says why it matters;
/// a failing rule becomes one reason in the verdict.
/// </summary>
internal static class GeneratorHealthRules
{
    /// <summary>Open model: calls must start within this of their due time at p99, or the schedule was not kept.</summary>
    public const long MaxScheduleLagP99Micros = 5_000;

    /// <summary>GC pauses over this share of the measured time stall calls in the generator, not in the servers.</summary>
    public const double MaxGcPauseShare = 0.10;

    /// <summary>A thread-pool queue this long, in most measured seconds, means callbacks wait for threads.</summary>
    public const long MaxThreadPoolQueue = 1_000;

    public static IReadOnlyList<string> Check(PhaseStats totals, IReadOnlyList<TimelineSecond> measuredSeconds)
    {
        var reasons = new List<string>();
        if (totals.ScheduleLag is { } lag && lag.P99 > MaxScheduleLagP99Micros)
        {
            reasons.Add($"calls started up to {lag.P99 / 1000.0:0.0} ms late (p99 schedule lag; limit {MaxScheduleLagP99Micros / 1000.0:0.#} ms): the generator could not keep the schedule");
        }

        if (measuredSeconds.Count == 0)
        {
            return reasons;
        }

        var gcShare = measuredSeconds.Sum(s => s.Generator.GcPauseMillis) / (measuredSeconds.Count * 1000.0);
        if (gcShare > MaxGcPauseShare)
        {
            reasons.Add($"the generator's GC paused it {gcShare:P1} of the time (limit {MaxGcPauseShare:P0})");
        }

        var queued = measuredSeconds.Count(s => s.Generator.ThreadPoolQueue > MaxThreadPoolQueue);
        if (queued * 2 > measuredSeconds.Count)
        {
            reasons.Add($"the generator's thread-pool queue held over {MaxThreadPoolQueue} items in {queued} of {measuredSeconds.Count} seconds: its callbacks waited for threads");
        }

        return reasons;
    }
}

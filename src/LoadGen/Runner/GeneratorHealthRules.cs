using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Runner;

/// <summary>
/// When a run is invalid because the generator could not keep up. Each rule names a limit and says why it matters;
/// a failing rule becomes one reason in the verdict. A warning rule leaves the run valid and tells what its figures
/// partly measured.
/// </summary>
internal static class GeneratorHealthRules
{
    /// <summary>Open model: calls must start within this of their due time at p99, or the schedule was not kept.</summary>
    public const long MaxScheduleLagP99Micros = 5_000;

    /// <summary>
    /// The dispatcher's late wake-ups explain a schedule lag when their p99 is at least this share of the lag's p99 (a
    /// late wake-up also delays the calls due just after it, so the lag's p99 runs above the wake-ups' own).
    /// </summary>
    public const double WakeUpShareOfLag = 0.5;

    /// <summary>GC pauses over this share of the measured time stall calls in the generator, not in the servers.</summary>
    public const double MaxGcPauseShare = 0.10;

    /// <summary>A thread-pool queue this long, in most measured seconds, means callbacks wait for threads.</summary>
    public const long MaxThreadPoolQueue = 1_000;

    /// <summary>
    /// A second in which the generator's JIT compiled more methods than this was part of its warm-up: a fresh generator
    /// compiles hundreds a second for its first seconds under load (its hot methods compiled again, optimised), a warm
    /// one tens at most (docs/benchmarks.md, "The generator's warm-up").
    /// </summary>
    public const long MaxJitMethodsPerSecond = 100;

    /// <summary>
    /// Quiet seconds in a row (the JIT under <see cref="MaxJitMethodsPerSecond"/>) that end a warm-up: a warm generator
    /// still compiles a burst now and then (a code path taken for the first time), which is not a warm-up.
    /// </summary>
    public const int QuietSecondsAfterWarmup = 3;

    public static IReadOnlyList<string> Check(PhaseStats totals, IReadOnlyList<TimelineSecond> measuredSeconds)
    {
        var reasons = new List<string>();
        if (totals.ScheduleLag is { } lag && lag.P99 > MaxScheduleLagP99Micros)
        {
            reasons.Add($"calls started up to {lag.P99 / 1000.0:0.0} ms late (p99 schedule lag; limit {MaxScheduleLagP99Micros / 1000.0:0.#} ms): {WhyLate(lag, totals.Dispatcher)}");
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

    /// <summary>
    /// Whose the schedule lag was: the machine's when it woke the dispatcher about as late as the calls started (its
    /// cores busy, or its virtual CPU not run), the generator's own when it woke on time and still started calls late.
    /// </summary>
    private static string WhyLate(HistogramSummary lag, DispatcherFigures? dispatcher) => dispatcher?.WakeUpLateness switch
    {
        // A result from before the dispatcher was recorded.
        null when dispatcher is null => "the generator could not keep the schedule",
        null => "the generator could not keep the schedule (its dispatcher was behind it throughout, never asleep)",
        { P99: var wakeUp } when wakeUp >= WakeUpShareOfLag * lag.P99 =>
            $"the machine woke the generator's dispatcher up to {wakeUp / 1000.0:0.0} ms late (p99 of its sleeps): its cores were too busy to run it on time",
        { P99: var wakeUp } =>
            $"the generator could not keep the schedule (the machine woke its dispatcher within {wakeUp / 1000.0:0.0##} ms at p99: the delay was the generator's own)",
    };

    /// <summary>
    /// What leaves the run valid but that a reader of its figures must know: the first seconds of a measured phase in
    /// which the generator was still warming up (its JIT compiling at a high rate), whose calls ran on a generator
    /// slower than a warm one.
    /// </summary>
    public static IReadOnlyList<string> Warnings(IReadOnlyList<TimelineSecond> measuredSeconds)
    {
        var warming = measuredSeconds.GroupBy(s => s.Phase).SelectMany(phase => WarmingUp([.. phase])).ToList();
        if (warming.Count == 0)
        {
            return [];
        }

        var methods = warming.Sum(s => s.Generator.JitCompiledMethods ?? 0);
        var millis = warming.Sum(s => s.Generator.JitMillis ?? 0);
        return [$"the generator was still warming up in the measured phases: its JIT compiled {NumberText.Count(methods)} methods ({NumberText.Millis(millis)} ms compiling) "
            + $"in {SecondsText(warming.Select(s => s.Second))} of the run, up to {NumberText.Count(warming.Max(s => s.Generator.JitCompiledMethods ?? 0))} a second "
            + $"(a warm generator: under {MaxJitMethodsPerSecond}): calls there ran on a generator slower than a warm one; a longer warm-up phase measures a warm one (docs/scenarios.md)"];
    }

    /// <summary>
    /// A phase's first seconds up to the last one in which the JIT compiled over <see cref="MaxJitMethodsPerSecond"/>
    /// methods before <see cref="QuietSecondsAfterWarmup"/> quiet seconds in a row; none when its first seconds were quiet.
    /// </summary>
    private static IEnumerable<TimelineSecond> WarmingUp(IReadOnlyList<TimelineSecond> phase)
    {
        var busyUntil = -1;
        for (var i = 0; i < phase.Count && i - busyUntil <= QuietSecondsAfterWarmup; i++)
        {
            if (phase[i].Generator.JitCompiledMethods > MaxJitMethodsPerSecond)
            {
                busyUntil = i;
            }
        }

        return phase.Take(busyUntil + 1);
    }

    /// <summary><c>second 3</c>, or <c>seconds 1-4, 7</c>: consecutive seconds as one range.</summary>
    private static string SecondsText(IEnumerable<int> seconds)
    {
        var ranges = new List<(int First, int Last)>();
        foreach (var second in seconds.Order())
        {
            if (ranges.Count > 0 && ranges[^1].Last == second - 1)
            {
                ranges[^1] = (ranges[^1].First, second);
            }
            else
            {
                ranges.Add((second, second));
            }
        }

        var text = string.Join(", ", ranges.Select(r => r.First == r.Last ? $"{r.First}" : $"{r.First}-{r.Last}"));
        return (ranges is [var only] && only.First == only.Last ? "second " : "seconds ") + text;
    }
}

using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Runner;

namespace GrpcLoadLab.LoadGen.Tests.Runner;

/// <summary>
/// The self-check's warning that the generator was still warming up in the measured phases, read from the JIT's
/// methods per second in the run's own timeline. A real fresh run gets it (tests/EndToEnd.Tests, GeneratorWarmupTests);
/// here, timelines built to each case.
/// </summary>
public class GeneratorWarmupTests
{
    private const long Busy = GeneratorHealthRules.MaxJitMethodsPerSecond + 1;
    private const long Quiet = GeneratorHealthRules.MaxJitMethodsPerSecond;

    [Fact]
    public void A_phase_that_starts_with_the_jit_busy_is_warned_of_naming_its_seconds_and_their_methods()
    {
        // Busy, a quiet second, busy again, then quiet for good: the warm-up is seconds 1-3 (their methods summed).
        var seconds = Seconds(phase: 1, firstSecond: 1, 900, 40, 300, 12, 8, 5, 3);

        var warning = Assert.Single(GeneratorHealthRules.Warnings(seconds));

        Assert.Contains("still warming up", warning, StringComparison.Ordinal);
        Assert.Contains("compiled 1,240 methods", warning, StringComparison.Ordinal);
        Assert.Contains("in seconds 1-3 of the run", warning, StringComparison.Ordinal);
        Assert.Contains("up to 900 a second", warning, StringComparison.Ordinal);
        Assert.Contains("longer warm-up", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_warm_generator_gets_no_warning_even_with_a_burst_after_its_first_quiet_seconds()
    {
        // A code path taken for the first time compiles a burst in a warm generator: that is not a warm-up.
        var seconds = Seconds(phase: 1, firstSecond: 11, Quiet, 20, 3, 5, 296, 212, 4, 0);

        Assert.Empty(GeneratorHealthRules.Warnings(seconds));
    }

    [Fact]
    public void Each_measured_phase_is_judged_from_its_own_start()
    {
        // The first phase warm; the second runs code the first did not (e.g. an open model after a closed one).
        var seconds = Seconds(phase: 1, firstSecond: 11, 10, 5, 3, 2).Concat(Seconds(phase: 2, firstSecond: 15, 150, 150, 2, 1, 0)).ToList();

        var warning = Assert.Single(GeneratorHealthRules.Warnings(seconds));

        Assert.Contains("in seconds 15-16 of the run", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void One_busy_second_is_named_alone_and_exactly_the_limit_is_quiet()
    {
        Assert.Contains("in second 4 of the run", Assert.Single(GeneratorHealthRules.Warnings(Seconds(phase: 1, firstSecond: 4, Busy, Quiet, Quiet, Quiet))), StringComparison.Ordinal);
        Assert.Empty(GeneratorHealthRules.Warnings(Seconds(phase: 1, firstSecond: 4, Quiet, Quiet, Quiet)));
    }

    [Fact]
    public void A_timeline_written_before_the_jit_was_counted_gets_no_warning_and_a_run_stays_valid_with_one()
    {
        var older = Seconds(phase: 1, firstSecond: 1, 0, 0, 0).Select(s => s with { Generator = s.Generator with { JitCompiledMethods = null } }).ToList();
        Assert.Empty(GeneratorHealthRules.Warnings(older));

        // A warning is no invalidity: the health check proper ignores the JIT.
        Assert.Empty(GeneratorHealthRules.Check(PhaseStatsWithoutLag(), Seconds(phase: 1, firstSecond: 1, 5_000, 5_000)));
    }

    [Fact]
    public void The_monitor_counts_the_methods_compiled_in_its_second()
    {
        var monitor = new GeneratorMonitor();
        _ = monitor.Sample(scheduleLagP99Micros: 0);

        // A method made at run time is compiled when it is first called: at least that one falls in the next second.
        var method = new System.Reflection.Emit.DynamicMethod("compiled", typeof(int), Type.EmptyTypes);
        var il = method.GetILGenerator();
        il.Emit(System.Reflection.Emit.OpCodes.Ldc_I4_7);
        il.Emit(System.Reflection.Emit.OpCodes.Ret);
        Assert.Equal(7, method.CreateDelegate<Func<int>>()());
        var second = monitor.Sample(scheduleLagP99Micros: 0);

        Assert.True(second.JitCompiledMethods >= 1, $"{second.JitCompiledMethods} methods");
        Assert.True(second.JitMillis >= 0, $"{second.JitMillis} ms");
    }

    private static PhaseStats PhaseStatsWithoutLag() => Reports.SampleRunResult.Create().Totals with { ScheduleLag = null };

    private static List<TimelineSecond> Seconds(int phase, int firstSecond, params long[] jitMethods) =>
        [.. jitMethods.Select((methods, i) => new TimelineSecond(
            firstSecond + i, phase, 16, 1_000, 1_000, 0, 0, 16, 0, 0, 0, 0,
            new Dictionary<string, EndpointSecond>(),
            new GeneratorSecond(10, 0, 0, 0, JitCompiledMethods: methods, JitMillis: methods / 10.0)))];
}

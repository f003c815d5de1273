using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Runner;
using GrpcLoadLab.LoadGen.Tests.Reports;

namespace GrpcLoadLab.LoadGen.Tests.Runner;

/// <summary>
/// Whose a schedule lag over the limit was, in the run's invalid reason: the machine's, when it woke the dispatcher
/// about as late as the calls started, or the generator's own, when it woke it on time.
/// </summary>
public class ScheduleLagCauseTests
{
    private const long LagP99 = 8_000;

    [Fact]
    public void A_lag_that_the_dispatchers_late_wake_ups_explain_is_the_machines()
    {
        var reason = Assert.Single(Reasons(LagP99, wakeUpP99: 6_000));

        Assert.Equal("calls started up to 8.0 ms late (p99 schedule lag; limit 5 ms): the machine woke the generator's dispatcher up to 6.0 ms late (p99 of its sleeps): its cores were too busy to run it on time", reason);
    }

    [Fact]
    public void Wake_ups_half_as_late_as_the_calls_still_explain_the_lag()
    {
        var reason = Assert.Single(Reasons(LagP99, wakeUpP99: (long)(LagP99 * GeneratorHealthRules.WakeUpShareOfLag)));

        Assert.Contains("the machine woke the generator's dispatcher up to 4.0 ms late", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lag_with_the_dispatcher_woken_on_time_is_the_generators_own()
    {
        var reason = Assert.Single(Reasons(LagP99, wakeUpP99: 120));

        Assert.Equal("calls started up to 8.0 ms late (p99 schedule lag; limit 5 ms): the generator could not keep the schedule (the machine woke its dispatcher within 0.12 ms at p99: the delay was the generator's own)", reason);
    }

    [Fact]
    public void A_dispatcher_that_never_slept_was_behind_its_schedule_throughout_and_is_not_said_to_be_on_time()
    {
        var neverAsleep = new DispatcherFigures(WakeUpLateness: null, 20, 20, 250);

        var reason = Assert.Single(Reasons(LagP99, neverAsleep));

        Assert.Equal("calls started up to 8.0 ms late (p99 schedule lag; limit 5 ms): the generator could not keep the schedule (its dispatcher was behind it throughout, never asleep)", reason);
        Assert.StartsWith("never asleep (behind its schedule throughout), ", DispatcherWords.Of(neverAsleep), StringComparison.Ordinal);
    }

    [Fact]
    public void A_result_without_the_dispatchers_figures_keeps_the_plain_reason()
    {
        var reason = Assert.Single(Reasons(LagP99, wakeUpP99: null));

        Assert.Equal("calls started up to 8.0 ms late (p99 schedule lag; limit 5 ms): the generator could not keep the schedule", reason);
    }

    [Fact]
    public void Late_wake_ups_under_a_lag_within_its_limit_are_no_reason()
    {
        Assert.Empty(Reasons(GeneratorHealthRules.MaxScheduleLagP99Micros, wakeUpP99: 4_000));
    }

    /// <summary>A dispatcher woken up to <paramref name="wakeUpP99"/> µs late at p99; none for a result from before it was recorded.</summary>
    private static IReadOnlyList<string> Reasons(long lagP99, long? wakeUpP99) =>
        Reasons(lagP99, wakeUpP99 is { } wakeUp ? new DispatcherFigures(SampleRunResult.Histogram(p50: 50, p99: wakeUp), 20, 20, 250) : null);

    private static IReadOnlyList<string> Reasons(long lagP99, DispatcherFigures? dispatcher) =>
        GeneratorHealthRules.Check(
            SampleRunResult.Create().Totals with { ScheduleLag = SampleRunResult.Histogram(p50: 100, p99: lagP99), Dispatcher = dispatcher },
            []);
}

using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Study;

namespace GrpcLoadLab.LoadGen.Tests.Study;

/// <summary>
/// The findings rules on whole fixture sweeps: the knee rule, the bound each profile met, Little's law, the cost of
/// instances beyond the cores, and the verdict lines — on the shapes a study meets (a knee, a curve still rising, a
/// drop past the cores) and on the demo's own numbers (issue 11: 2 cores, scenarios/sweeps/demo.json).
/// </summary>
public class StudyFindingsTests
{
    private static readonly WorkProfile Io = new() { Name = "io-bound", Delay = TimeSpan.FromMilliseconds(20), Capacity = 8, Queue = 128 };
    private static readonly WorkProfile Cpu = new() { Name = "cpu-bound", Cpu = TimeSpan.FromMilliseconds(2), Pin = true };

    // The demo as measured: io-bound on 1 instance reached 353.6 calls/s at 8 callers (22.6 ms) and 379.7 at 16
    // (42.0 ms); 2 and 4 instances scaled it; cpu-bound gave 784 calls/s on 2 instances and 515 on 4, its servers'
    // cores falling 1.70 → 1.31 while the machine stayed 1.99 busy.
    private static StudyAnalysis Demo() => new StudySweeps("demo")
        .Cell("io-bound", 1, 1, StudySweeps.Run(48.5, 20.6))
        .Cell("io-bound", 1, 2, StudySweeps.Run(96.0, 20.8))
        .Cell("io-bound", 1, 4, StudySweeps.Run(190.0, 21.1))
        .Cell("io-bound", 1, 8, StudySweeps.Run(353.6, 22.6, serverCores: 0.2, generatorCores: 0.3, hostCores: 0.6))
        .Cell("io-bound", 1, 16, StudySweeps.Run(379.7, 42.0, serverCores: 0.2, generatorCores: 0.3, hostCores: 0.6))
        .Cell("io-bound", 2, 32, StudySweeps.Run(768.0, 41.6, serverCores: 0.4, serverCount: 2, generatorCores: 0.5, hostCores: 1.0))
        .Cell("io-bound", 4, 64, StudySweeps.Run(1488.0, 43.0, serverCores: 0.8, serverCount: 4, generatorCores: 0.8, hostCores: 1.7))
        .Cell("cpu-bound", 1, 1, StudySweeps.Run(330.0, 3.0, serverCores: 0.7, generatorCores: 0.2, hostCores: 1.0))
        .Cell("cpu-bound", 1, 2, StudySweeps.Run(450.0, 4.4, serverCores: 0.95, generatorCores: 0.3, hostCores: 1.4))
        .Cell("cpu-bound", 1, 4, StudySweeps.Run(464.0, 8.6, serverCores: 0.96, generatorCores: 0.3, hostCores: 1.4))
        .Cell("cpu-bound", 2, 16, StudySweeps.Run(784.0, 20.4, serverCores: 1.70, serverCount: 2, generatorCores: 0.25, hostCores: 1.99))
        .Cell("cpu-bound", 4, 64, StudySweeps.Run(515.0, 124.3, serverCores: 1.31, serverCount: 4, generatorCores: 0.3, hostCores: 1.99))
        .Analysis(StudySweeps.Spec("demo", Io, Cpu));

    [Fact]
    public void The_demos_io_curve_has_its_knee_at_the_capacity_bound_not_still_rising()
    {
        var io = Demo().Profiles.Single(p => p.Profile == "io-bound");

        Assert.Equal(8, io.Knee!.Before.Cell.Load);
        var load = StudyExplanation.Of(io, cores: 2)[0];

        Assert.Contains("The knee is at 8 concurrent: from there to 16 concurrent throughput gained +7% while mean latency grew +86% (22.6 → 42.0 ms)", load, StringComparison.Ordinal);
        Assert.Contains("That is a knee at the capacity bound: 1 × 8 calls at once / 20.0 ms = 400.0 calls/s, 95% of it reached (379.7 calls/s at 16 concurrent).", load, StringComparison.Ordinal);
        Assert.Contains("Little's law (X = L/W) held within 0.3% on every concurrency level (worst at 16 concurrent).", load, StringComparison.Ordinal);
        Assert.DoesNotContain("still rising", load, StringComparison.Ordinal);
    }

    [Fact]
    public void The_demos_scaling_names_each_fleets_bound_and_how_much_of_it_was_reached()
    {
        var analysis = Demo();
        var io = StudyExplanation.Of(analysis.Profiles.Single(p => p.Profile == "io-bound"), cores: 2)[1];
        var cpu = StudyExplanation.Of(analysis.Profiles.Single(p => p.Profile == "cpu-bound"), cores: 2)[1];

        Assert.Contains("Against one instance: the capacity bound, 1 × 8 calls at once / 20.0 ms = 400.0 calls/s, 95% reached; 2 instances: the capacity bound, 2 × 8 calls at once / 20.0 ms = 800.0 calls/s, 96% reached; 4 instances: the capacity bound, 4 × 8 calls at once / 20.0 ms = 1600.0 calls/s, 93% reached.", io, StringComparison.Ordinal);
        // Pinned instances: each brings a core up to the machine's 2, then none.
        Assert.Contains("2 instances: the cores bound, 2 cores × 1 / 2.0 ms = 1000.0 calls/s, 78% reached; 4 instances: the cores bound, 2 cores × 1 / 2.0 ms = 1000.0 calls/s, 52% reached.", cpu, StringComparison.Ordinal);
    }

    [Fact]
    public void The_demos_cpu_drop_past_the_cores_is_named_with_what_oversubscription_cost()
    {
        var cpu = StudyExplanation.Of(Demo().Profiles.Single(p => p.Profile == "cpu-bound"), cores: 2)[1];

        Assert.Contains("Past the cores, 4 instances gave 515.0 calls/s, 34% less than 2 (784.0): 4 server processes on 2 cores cost more than they brought.", cpu, StringComparison.Ordinal);
        Assert.Contains("The servers kept 1.7 → 1.3 cores busy while the machine was 2.0 busy, and each call cost them 2.2 → 2.5 ms of CPU", cpu, StringComparison.Ordinal);
        Assert.DoesNotContain("only share the same cores", cpu, StringComparison.Ordinal);
    }

    [Fact]
    public void The_demos_verdicts_carry_the_lesson()
    {
        Assert.Equal(
            [
                "io-bound: 3.92× on 4 instances — linear (98% efficiency)",
                "cpu-bound: 1.69× at 2 instances = the 2 cores, then stops: 4 instances fell back to 1.11× (34% less than 2)",
            ],
            StudyVerdict.Of(Demo()));
    }

    [Fact]
    public void Sigma_and_kappa_are_explained_as_what_these_instances_share()
    {
        var fit = StudyExplanation.Of(Demo().Profiles.Single(p => p.Profile == "cpu-bound"), cores: 2)[^1];

        Assert.Contains("these instances share no state, so here it is their contending for the same cores, caches and scheduler", fit, StringComparison.Ordinal);
        Assert.DoesNotContain("consistent", fit, StringComparison.Ordinal);
    }

    [Fact]
    public void A_load_curve_that_falls_past_its_knee_says_by_how_much()
    {
        // Pinned CPU work on one core: 2 callers fill it; beyond, the core switches between more calls and loses some.
        var study = new StudySweeps()
            .Cell("cpu-bound", 1, 1, StudySweeps.Run(300, 3.3))
            .Cell("cpu-bound", 1, 2, StudySweeps.Run(480, 4.2))
            .Cell("cpu-bound", 1, 4, StudySweeps.Run(470, 8.5))
            .Cell("cpu-bound", 1, 8, StudySweeps.Run(400, 20.0))
            .Analysis(StudySweeps.Spec("study", Cpu))
            .Profiles[0];

        Assert.Equal(2, study.Knee!.Before.Cell.Load);
        var load = StudyExplanation.Of(study, cores: 2)[0];

        Assert.Contains("The knee is at 2 concurrent: from there to 4 concurrent throughput gained -2% while mean latency grew +102%", load, StringComparison.Ordinal);
        Assert.Contains("Past the knee throughput fell, from 480.0 calls/s at 2 concurrent to 400.0 calls/s at 8 concurrent (-17%).", load, StringComparison.Ordinal);
        Assert.Contains("That is a knee at the cores bound: 1 core × 1 / 2.0 ms = 500.0 calls/s, 96% of it reached", load, StringComparison.Ordinal);
        Assert.Equal("cpu-bound: knee at 2 concurrent, 480.0 calls/s at best (96% of the cores bound, 500.0 calls/s)", StudyVerdict.Of(study, withPolicy: false, cores: 2));
    }

    [Fact]
    public void A_curve_already_flat_at_its_lowest_load_has_its_knee_there()
    {
        var study = new StudySweeps().Grid("io-bound", [1], [[8, 16, 32]], [[390, 395, 396]]).Analysis(StudySweeps.Spec("study", Io)).Profiles[0];

        Assert.Equal(8, study.Knee!.Before.Cell.Load);
        Assert.StartsWith("On one instance, throughput was already 390.0 calls/s at the lowest concurrency tried, 8 concurrent. The knee is at 8 concurrent", StudyExplanation.Of(study, cores: 2)[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_curve_still_rising_reads_so_in_the_text_and_the_verdict()
    {
        var study = new StudySweeps().Grid("io-bound", [1], [[1, 2, 4]], [[50, 100, 190]]).Analysis(StudySweeps.Spec("study", Io)).Profiles[0];

        Assert.Null(study.Knee);
        Assert.Contains("It was still rising at the highest concurrency tried", StudyExplanation.Of(study, cores: 2)[0], StringComparison.Ordinal);
        Assert.Equal("io-bound: still rising at 4 concurrent, 190.0 calls/s (48% of the capacity bound, 400.0 calls/s)", StudyVerdict.Of(study, withPolicy: false, cores: 2));
    }

    [Fact]
    public void Scaling_that_bends_but_still_gains_reads_sub_linear()
    {
        var study = new StudySweeps()
            .Grid("cpu-bound", [1, 2, 4], [[8], [16], [32]], [[450], [880], [1000]])
            .Analysis(StudySweeps.Spec("study", Cpu with { Pin = false }))
            .Profiles[0];

        Assert.Equal("cpu-bound: 2.22× on 4 instances — sub-linear (56% efficiency)", StudyVerdict.Of(study, withPolicy: false, cores: 2));
    }

    [Fact]
    public void A_peak_below_the_most_instances_names_where_it_stopped_and_the_core_count_when_they_meet()
    {
        var study = new StudySweeps()
            .Grid("cpu-bound", [1, 2, 4, 8], [[8], [16], [32], [64]], [[450], [880], [860], [700]])
            .Analysis(StudySweeps.Spec("study", Cpu))
            .Profiles[0];

        Assert.Equal("cpu-bound: 1.96× at 2 instances = the 2 cores, then stops: 8 instances fell back to 1.56× (20% less than 2)", StudyVerdict.Of(study, withPolicy: false, cores: 2));
        Assert.Equal("cpu-bound: 1.96× at 2 instances, then stops: 8 instances fell back to 1.56× (20% less than 2)", StudyVerdict.Of(study, withPolicy: false, cores: 4));
    }

    [Fact]
    public void Scaling_that_never_gained_says_so()
    {
        var study = new StudySweeps().Grid("io-bound", [1, 2], [[8], [16]], [[400], [404]]).Analysis(StudySweeps.Spec("study", Io)).Profiles[0];

        Assert.Equal("io-bound: no gain from more instances, 400.0 calls/s on 1 instance: 2 instances gave 1.01×, about the same as 1 (+1%)", StudyVerdict.Of(study, withPolicy: false, cores: 2));

        var worse = new StudySweeps().Grid("cpu-bound", [1, 2, 4], [[8], [16], [32]], [[315.5], [300], [107.5]]).Analysis(StudySweeps.Spec("study", Cpu)).Profiles[0];
        Assert.Equal("cpu-bound: no gain from more instances, 315.5 calls/s on 1 instance: 4 instances fell back to 0.34× (66% less than 1)", StudyVerdict.Of(worse, withPolicy: false, cores: 2));
    }

    [Fact]
    public void The_bound_is_the_lower_of_the_capacity_and_the_cores()
    {
        // 4 slots of 1 ms CPU each: 4,000 calls/s of capacity, but 2 cores serve only 2,000.
        WorkProfile both = new() { Name = "both", Cpu = TimeSpan.FromMilliseconds(1), Capacity = 4 };
        Assert.Equal((BoundKind.Cores, 2000.0), WorkBound.Of(both, 1, cores: 2) is { } b ? (b.Kind, b.CallsPerSecond) : default);
        Assert.Equal((BoundKind.Capacity, 4000.0), WorkBound.Of(both, 1, cores: 8) is { } c ? (c.Kind, c.CallsPerSecond) : default);
        // The capacity holds a slot for the delay and the CPU together.
        WorkProfile mixed = new() { Name = "mixed", Delay = TimeSpan.FromMilliseconds(15), Cpu = TimeSpan.FromMilliseconds(5), Capacity = 8 };
        Assert.Equal("3 × 8 calls at once / 20.0 ms = 1200.0 calls/s", WorkBound.Of(mixed, 3, cores: 64)!.Formula);
        Assert.Null(WorkBound.Of(new WorkProfile { Name = "none", Delay = TimeSpan.FromMilliseconds(1) }, 1, cores: 2));
        Assert.Null(WorkBound.Of(null, 1, cores: 2));
    }
}

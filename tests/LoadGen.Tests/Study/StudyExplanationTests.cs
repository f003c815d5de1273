using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Study;

namespace GrpcLoadLab.LoadGen.Tests.Study;

/// <summary>The study's findings in words: each sentence follows from the numbers the cells measured.</summary>
public class StudyExplanationTests
{
    private static readonly WorkProfile Io = new() { Name = "io", Delay = TimeSpan.FromMilliseconds(20), Capacity = 8 };
    private static readonly WorkProfile Cpu = new() { Name = "cpu", Cpu = TimeSpan.FromMilliseconds(2), Pin = true };

    [Fact]
    public void An_io_bound_profile_is_bounded_by_its_capacity_slots()
    {
        // 8 slots of 20 ms: at most 400 calls/s on one instance. The knee is at 8 callers; 4 callers measured 25 ms,
        // 20% more than Little's law says (L/W = 160 against 200 measured).
        var study = new StudySweeps()
            .Cell("io", 1, 1, StudySweeps.Run(50, 20))
            .Cell("io", 1, 2, StudySweeps.Run(100, 20))
            .Cell("io", 1, 4, StudySweeps.Run(200, 25))
            .Cell("io", 1, 8, StudySweeps.Run(392, 8 / 392.0 * 1000))
            .Cell("io", 1, 16, StudySweeps.Run(396, 16 / 396.0 * 1000))
            .Analysis(StudySweeps.Spec("study", Io))
            .Profiles[0];

        Assert.Equal(8, study.Knee!.Before.Cell.Load);
        var load = StudyExplanation.Of(study, cores: 2)[0];

        Assert.StartsWith("On one instance, throughput rose from 50.0 calls/s at 1 concurrent to 392.0 calls/s at 8 concurrent (7.84×). ", load, StringComparison.Ordinal);
        Assert.Contains("The knee is at 8 concurrent: from there to 16 concurrent throughput gained +1% while mean latency grew +98% (20.4 → 40.4 ms): past it the extra calls mostly waited", load, StringComparison.Ordinal);
        Assert.Contains("That is a knee at the capacity bound: 1 × 8 calls at once / 20.0 ms = 400.0 calls/s, 99% of it reached (396.0 calls/s at 16 concurrent).", load, StringComparison.Ordinal);
        Assert.EndsWith("Little's law (X = L/W) missed by 25.0% at 4 concurrent (200.0 calls/s measured, 160.0 from L/W): that run was not a steady system (its queue still grew), or its latency counted time outside the calls in flight.", load, StringComparison.Ordinal);
        Assert.DoesNotContain("CPU", load, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, "On 2 instances", "That is a knee at the capacity bound: 2 × 8 calls at once / 20.0 ms = 800.0 calls/s, 96% of it reached")]
    [InlineData(4, "On 4 instances", "The knee came before the capacity bound (4 × 8 calls at once / 20.0 ms = 1600.0 calls/s): 48% of it reached")]
    public void The_capacity_bound_grows_with_the_instances_of_the_smallest_fleet(int instances, string opening, string bound)
    {
        var study = new StudySweeps()
            .Grid("io", [instances], [[8, 16, 32]], [[400, 760, 768]])
            .Analysis(StudySweeps.Spec("study", Io))
            .Profiles[0];

        var load = StudyExplanation.Of(study, cores: 2)[0];

        Assert.StartsWith(opening, load, StringComparison.Ordinal);
        Assert.Contains(bound, load, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cpu_bound_profile_is_bounded_by_the_cores_it_may_use()
    {
        WorkProfile unpinned = Cpu with { Pin = false };
        var sweeps = new StudySweeps()
            .Cell("cpu", 1, 1, StudySweeps.Run(300, 3.3, serverCores: 0.8))
            .Cell("cpu", 1, 2, StudySweeps.Run(450, 4.4, serverCores: 0.95))
            .Cell("cpu", 1, 4, StudySweeps.Run(460, 8.7, serverCores: 0.96));

        // Pinned, one instance has one core: 500 calls/s. Unpinned, it may use both: 1,000.
        var pinned = StudyExplanation.Of(sweeps.Analysis(StudySweeps.Spec("study", Cpu)).Profiles[0], cores: 2)[0];
        Assert.Contains("That is a knee at the cores bound: 1 core × 1 / 2.0 ms = 500.0 calls/s, 92% of it reached (460.0 calls/s at 4 concurrent).", pinned, StringComparison.Ordinal);
        Assert.Contains("kept 0.96 of the machine's 2 cores busy", pinned, StringComparison.Ordinal);

        var free = StudyExplanation.Of(sweeps.Analysis(StudySweeps.Spec("study", unpinned)).Profiles[0], cores: 2)[0];
        Assert.Contains("The knee came before the cores bound (2 cores × 1 / 2.0 ms = 1000.0 calls/s): 46% of it reached", free, StringComparison.Ordinal);
    }

    [Fact]
    public void A_curve_still_rising_at_its_highest_load_asks_for_higher_levels()
    {
        var study = new StudySweeps().Grid("io", [1], [[1, 2, 4]], [[50, 100, 200]]).Analysis(StudySweeps.Spec("study", Io)).Profiles[0];

        var load = StudyExplanation.Of(study, cores: 2)[0];

        Assert.StartsWith(
            "On one instance, throughput rose from 50.0 calls/s at 1 concurrent to 200.0 calls/s at 4 concurrent (4.00×). "
            + "It was still rising at the highest concurrency tried: its last step, from 2 concurrent, gained +100% throughput for +0% latency. "
            + "50% of the capacity bound (1 × 8 calls at once / 20.0 ms = 400.0 calls/s) reached so far: add higher levels to find the knee. "
            + "Little's law (X = L/W) held within 0.0% on every concurrency level",
            load,
            StringComparison.Ordinal);
        Assert.DoesNotContain("knee is", load, StringComparison.Ordinal);
    }

    [Fact]
    public void An_open_model_curve_speaks_of_offered_load_and_the_hockey_stick()
    {
        var study = new StudySweeps()
            .Cell("io", 1, 100, StudySweeps.Run(100, 20, p99Ms: 30), openModel: true)
            .Cell("io", 1, 200, StudySweeps.Run(200, 20, p99Ms: 35), openModel: true)
            .Cell("io", 1, 400, StudySweeps.Run(390, 22, p99Ms: 48), openModel: true)
            .Cell("io", 1, 800, StudySweeps.Run(395, 900, p99Ms: 2500), openModel: true)
            .Analysis(StudySweeps.Spec("study", Io))
            .Profiles[0];

        var load = StudyExplanation.Of(study, cores: 2)[0];

        Assert.StartsWith("On one instance, throughput rose from 100.0 calls/s at 100/s to 390.0 calls/s at 400/s (3.90×). ", load, StringComparison.Ordinal);
        Assert.Contains("The knee is at 400/s: from there to 800/s throughput gained +1% while mean latency grew +3991% (22.0 → 900 ms) and p99 went from 48.0 to 2500 ms: past its capacity, calls queue", load, StringComparison.Ordinal);
        // The runs measured no calls in flight, so Little's law has nothing to check.
        Assert.DoesNotContain("Little's law", load, StringComparison.Ordinal);
    }

    [Fact]
    public void Near_linear_scaling_reads_close_to_linear()
    {
        var study = new StudySweeps()
            .Grid("io", [1, 2, 4, 8], [[8], [16], [32], [64]], [[400], [790], [1560], [3100]], serverCores: 1.5, generatorCores: 0.5)
            .Analysis(StudySweeps.Spec("study", Io))
            .Profiles[0];

        var scaling = StudyExplanation.Of(study, cores: 16).Single(p => p.StartsWith("Adding instances:", StringComparison.Ordinal));

        Assert.Contains("8 gave 7.75× the throughput of 1 (97% efficiency)", scaling, StringComparison.Ordinal);
        Assert.Contains("Scaling was close to linear: each instance brought its own capacity.", scaling, StringComparison.Ordinal);
        Assert.Matches("Even at 8 instances the servers and the generator kept (only )?2\\.0 of the machine's 16 cores busy", scaling);
        Assert.Contains("so the cores never became the limit.", scaling, StringComparison.Ordinal);
        Assert.DoesNotContain("were the limit", scaling, StringComparison.Ordinal);

        // The same scaling on a machine the fleet filled: the next instances would find no free core.
        var full = StudyExplanation.Of(study, cores: 2).Single(p => p.StartsWith("Adding instances:", StringComparison.Ordinal));
        Assert.Matches("At 8 instances the servers and the generator kept 2\\.0 of (the machine's )?2 cores busy", full);
        Assert.Contains("the next instances would find no free core.", full, StringComparison.Ordinal);
        Assert.DoesNotContain("never became the limit", full, StringComparison.Ordinal);
    }

    [Fact]
    public void Scaling_that_stalls_on_busy_cores_blames_the_cores()
    {
        // 2 cores: 2 instances still scale (94%), 4 add 6% where linear would add 100%, with every core busy.
        var study = new StudySweeps()
            .Cell("cpu", 1, 8, StudySweeps.Run(450, 8 / 0.45, serverCores: 0.9, generatorCores: 0.1))
            .Cell("cpu", 2, 16, StudySweeps.Run(850, 16 / 0.85, serverCores: 1.6, generatorCores: 0.2))
            .Cell("cpu", 4, 32, StudySweeps.Run(900, 32 / 0.9, serverCores: 1.6, generatorCores: 0.2))
            .Analysis(StudySweeps.Spec("study", Cpu))
            .Profiles[0];

        Assert.Equal(0.5, study.Scaling[2].Efficiency, 1e-9);
        var scaling = StudyExplanation.Of(study, cores: 2).Single(p => p.StartsWith("Adding instances:", StringComparison.Ordinal));

        Assert.Contains("From 2 to 4 instances throughput changed by +6%, where linear scaling would add +100%.", scaling, StringComparison.Ordinal);
        Assert.Contains("kept 1.8 of the machine's 2 cores busy", scaling, StringComparison.Ordinal);
        Assert.Contains("the cores, not the servers, were the limit", scaling, StringComparison.Ordinal);
        Assert.DoesNotContain("close to linear", scaling, StringComparison.Ordinal);
    }

    [Fact]
    public void The_machines_own_cpu_names_what_other_processes_took()
    {
        // The servers and the generator used 1.0 of 2 cores, the machine 1.9: other work took 0.9 while it measured.
        var study = new StudySweeps()
            .Cell("cpu", 1, 8, StudySweeps.Run(450, 8 / 0.45, serverCores: 0.5, generatorCores: 0.1, hostCores: 0.7))
            .Cell("cpu", 2, 16, StudySweeps.Run(500, 16 / 0.5, serverCores: 0.8, generatorCores: 0.2, hostCores: 1.9))
            .Analysis(StudySweeps.Spec("study", Cpu))
            .Profiles[0];

        var scaling = StudyExplanation.Of(study, cores: 2).Single(p => p.StartsWith("Adding instances:", StringComparison.Ordinal));

        Assert.Contains(
            "On 2 instances the machine's 2 cores were 1.9 busy (servers 0.80, load generator 0.20, kernel and other processes 0.90; other work shared the machine while this was measured): the cores, not the servers, were the limit",
            scaling,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Scaling_that_stalls_with_idle_cores_looks_elsewhere()
    {
        var study = new StudySweeps()
            .Cell("cpu", 1, 8, StudySweeps.Run(450, 8 / 0.45, serverCores: 0.3, generatorCores: 0.1))
            .Cell("cpu", 2, 16, StudySweeps.Run(500, 16 / 0.5, serverCores: 0.4, generatorCores: 0.1))
            .Analysis(StudySweeps.Spec("study", Cpu))
            .Profiles[0];

        var scaling = StudyExplanation.Of(study, cores: 8).Single(p => p.StartsWith("Adding instances:", StringComparison.Ordinal));

        Assert.Contains("From 1 to 2 instances throughput changed by +11%, where linear scaling would add +100%.", scaling, StringComparison.Ordinal);
        Assert.Matches("The cores were not the limit \\((the servers and the generator kept )?0\\.50 of (the machine's )?8", scaling);
        Assert.Contains("look at what the instances share", scaling, StringComparison.Ordinal);
        Assert.DoesNotContain("the cores, not the servers", scaling, StringComparison.Ordinal);
    }

    [Fact]
    public void The_usl_paragraph_needs_three_instance_counts_and_warns_when_three_fit_exactly()
    {
        var two = new StudySweeps().Grid("io", [1, 2], [[8], [16]], [[400], [790]]).Analysis().Profiles[0];
        Assert.Equal("No USL fit: it needs at least 3 instance counts, the sweep ran 2.", StudyExplanation.Of(two, cores: 2)[^1]);

        var three = new StudySweeps().Grid("io", [1, 2, 4], [[8], [16], [32]], [[400], [700], [1000]]).Analysis().Profiles[0];
        var fit = StudyExplanation.Of(three, cores: 2)[^1];
        Assert.StartsWith("The Universal Scalability Law fitted over instances gives σ = ", fit, StringComparison.Ordinal);
        Assert.EndsWith("3 points hardly test a model of 3 parameters: the numbers describe these points, not a trend (the USL tools ask for 6).", fit, StringComparison.Ordinal);

        var four = new StudySweeps().Grid("io", [1, 2, 4, 8], [[8], [16], [32], [64]], [[400], [700], [1000], [1100]]).Analysis().Profiles[0];
        Assert.DoesNotContain("fits exactly", StudyExplanation.Of(four, cores: 2)[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_cell_only_says_there_is_no_fit()
    {
        var study = new StudySweeps().Grid("io", [1], [[8]], [[400]]).Analysis().Profiles[0];

        Assert.Equal(["No USL fit: it needs at least 3 instance counts, the sweep ran 1."], StudyExplanation.Of(study, cores: 2));
    }

    [Fact]
    public void The_comparison_needs_two_profiles_that_scaled_and_names_both()
    {
        var one = new StudySweeps().Grid("io", [1, 8], [[8], [64]], [[400], [3100]]).Analysis();
        Assert.Null(StudyExplanation.Comparison(one));

        var two = new StudySweeps()
            .Grid("io", [1, 8], [[8], [64]], [[400], [3100]])
            .Grid("cpu", [1, 8], [[8], [64]], [[400], [600]])
            .Analysis();
        var comparison = StudyExplanation.Comparison(two);
        Assert.NotNull(comparison);
        Assert.StartsWith("Side by side: io reached 7.75× on 8 instances (97% efficiency); cpu reached 1.50× on 8 instances (19% efficiency). ", comparison, StringComparison.Ordinal);

        // A profile measured on one fleet size has no scaling to set beside the other's.
        var unscaled = new StudySweeps()
            .Grid("io", [1, 8], [[8], [64]], [[400], [3100]])
            .Grid("cpu", [1], [[8]], [[400]])
            .Analysis();
        Assert.Null(StudyExplanation.Comparison(unscaled));
    }

    [Fact]
    public void With_several_policies_the_comparison_names_each_policy()
    {
        var analysis = new StudySweeps()
            .Grid("io", [1, 2], [[8], [16]], [[400], [800]], policy: "round_robin")
            .Grid("io", [1, 2], [[8], [16]], [[400], [400]], policy: "pick_first")
            .Analysis();

        var comparison = StudyExplanation.Comparison(analysis)!;

        Assert.Contains("io (round_robin) reached 2.00× on 2 instances (100% efficiency)", comparison, StringComparison.Ordinal);
        Assert.Contains("io (pick_first) reached 1.00× on 2 instances (50% efficiency)", comparison, StringComparison.Ordinal);
    }
}

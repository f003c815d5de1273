using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Study;
using GrpcLoadLab.LoadGen.Tests.Reports;

namespace GrpcLoadLab.LoadGen.Tests.Study;

/// <summary>A sweep's cells turned into figures, scaling steps, knees and fits.</summary>
public class StudyAnalysisTests
{
    private const double Tolerance = 1e-9;

    [Fact]
    public void A_cells_figures_come_from_its_runs_totals_servers_and_timeline()
    {
        var run = TestRuns.Read("unary-closed");
        var cell = new SweepCellResult("p", "round_robin", 3, false, 16, "folder", 0);

        var figures = CellFigures.Of(cell, run);

        Assert.Same(cell, figures.Cell);
        // Successful calls only: this run failed most of its calls (RESOURCE_EXHAUSTED), and failures are not capacity.
        Assert.Equal(3639 / 3.012, figures.Throughput, Tolerance);
        Assert.True(figures.Throughput < run.Totals.CallsPerSecond / 2);
        Assert.Equal(9.6655, figures.MeanLatencyMs, Tolerance);
        Assert.Equal(8.663, figures.P50Ms, Tolerance);
        Assert.Equal(29.871, figures.P99Ms, Tolerance);
        Assert.Equal(6034.0 / 9673, figures.ErrorRate, Tolerance);
        Assert.Equal(16, figures.InFlight);
        Assert.True(figures.Valid);
        Assert.False(figures.Partial);

        // The servers' CPU time over their wall time, summed; the generator's share of the 2 cores, averaged over the run.
        var serverCores = run.Servers.Sum(s => (double)(s.End!.ProcessCpuMicros - s.Start!.ProcessCpuMicros) / (s.End.UptimeMicros - s.Start.UptimeMicros));
        Assert.Equal(serverCores, figures.ServerCores!.Value, Tolerance);
        Assert.InRange(figures.ServerCores.Value, 1.0, 1.3);
        Assert.Equal(run.Timeline.Average(s => s.Generator.CpuPercent) / 100 * 2, figures.GeneratorCores, Tolerance);
    }

    [Fact]
    public void Throughput_counts_successful_calls_a_second_and_failures_only_in_the_error_rate()
    {
        var figures = CellFigures.Of(
            new SweepCellResult("p", "round_robin", 1, false, 8, "f", 0),
            StudySweeps.Run(300, 20, failedPerSecond: 100, valid: false, partial: true));

        Assert.Equal(300, figures.Throughput, Tolerance);
        Assert.Equal(0.25, figures.ErrorRate, Tolerance);
        Assert.False(figures.Valid);
        Assert.True(figures.Partial);
    }

    [Fact]
    public void Server_cores_are_summed_over_the_servers_and_unknown_when_one_cannot_say()
    {
        var cell = new SweepCellResult("p", "round_robin", 2, false, 8, "f", 0);

        Assert.Equal(1.5, CellFigures.Of(cell, StudySweeps.Run(100, 10, serverCores: 1.5, serverCount: 3)).ServerCores!.Value, Tolerance);
        Assert.Null(CellFigures.Of(cell, StudySweeps.Run(100, 10)).ServerCores);

        var run = StudySweeps.Run(100, 10, serverCores: 1, serverCount: 2);
        var oneSilent = run with { Servers = [run.Servers[0], run.Servers[1] with { Start = null, End = null }] };
        Assert.Null(CellFigures.Of(cell, oneSilent).ServerCores);
    }

    [Fact]
    public void Generator_cores_are_its_cpu_share_of_the_runs_machine()
    {
        var figures = CellFigures.Of(new SweepCellResult("p", "round_robin", 1, false, 8, "f", 0), StudySweeps.Run(100, 10, generatorCores: 0.3));

        Assert.Equal(0.3, figures.GeneratorCores, Tolerance);
    }

    [Fact]
    public void Closed_model_littles_law_takes_the_callers_as_the_calls_in_flight()
    {
        // 8 callers, 20 ms each: at most 400 calls/s; 380 measured is 5% short.
        var figures = CellFigures.Of(new SweepCellResult("p", "round_robin", 1, false, 8, "f", 0), StudySweeps.Run(380, 20));

        Assert.Equal(8, figures.InFlight);
        Assert.Equal(400, figures.LittleThroughput, Tolerance);
        Assert.Equal(-0.05, figures.LittleDeviation, Tolerance);
    }

    [Fact]
    public void Open_model_littles_law_takes_the_mean_in_flight_of_the_measured_seconds()
    {
        // The warm-up's 100 in flight are left out: L = (10 + 20) / 2 = 15, W = 50 ms, so L/W = 300.
        var run = StudySweeps.Run(330, 50, seconds: [(0, 100), (1, 10), (1, 20)]);

        var figures = CellFigures.Of(new SweepCellResult("p", "round_robin", 1, true, 300, "f", 0), run);

        Assert.Equal(15, figures.InFlight, Tolerance);
        Assert.Equal(300, figures.LittleThroughput, Tolerance);
        Assert.Equal(0.1, figures.LittleDeviation, Tolerance);
    }

    [Fact]
    public void Without_latency_littles_law_implies_nothing()
    {
        var figures = CellFigures.Of(new SweepCellResult("p", "round_robin", 1, false, 8, "f", 0), StudySweeps.Run(0, 0));

        Assert.Equal(0, figures.LittleThroughput);
        Assert.Equal(0, figures.LittleDeviation);
    }

    [Fact]
    public void Scaling_takes_the_best_load_of_each_fleet_against_the_smallest()
    {
        // The best of each fleet is not always its highest load: 8 instances peaked at 32 callers.
        var analysis = new StudySweeps()
            .Grid(
                "io",
                [8, 1, 2, 4],
                [[16, 32, 64], [1, 8], [2, 16], [4, 32]],
                [[2000, 3100, 3000], [50, 400], [100, 790], [200, 1560]])
            .Analysis();

        var study = Assert.Single(analysis.Profiles);
        Assert.Equal([1, 2, 4, 8], study.Scaling.Select(s => s.Instances));
        Assert.Equal([400, 790, 1560, 3100], study.Scaling.Select(s => s.Throughput));
        Assert.Equal([8, 16, 32, 32], study.Scaling.Select(s => s.Best.Cell.Load));
        AssertAll([1, 1.975, 3.9, 7.75], study.Scaling.Select(s => s.Speedup));
        AssertAll([1, 0.9875, 0.975, 0.96875], study.Scaling.Select(s => s.Efficiency));
    }

    [Fact]
    public void Efficiency_is_against_the_smallest_fleet_whatever_its_size()
    {
        var analysis = new StudySweeps().Grid("io", [2, 8], [[8], [32]], [[500], [1500]]).Analysis();

        var steps = analysis.Profiles[0].Scaling;
        AssertAll([1, 3], steps.Select(s => s.Speedup));
        AssertAll([1, 0.75], steps.Select(s => s.Efficiency));
    }

    [Fact]
    public void Busy_cores_add_the_servers_and_the_generator_of_the_best_cell()
    {
        var analysis = new StudySweeps()
            .Cell("cpu", 1, 1, StudySweeps.Run(300, 3.3, serverCores: 0.5, generatorCores: 0.1))
            .Cell("cpu", 1, 2, StudySweeps.Run(400, 5, serverCores: 0.9, generatorCores: 0.2))
            .Analysis();

        var step = Assert.Single(analysis.Profiles[0].Scaling);
        Assert.Equal(2, step.Best.Cell.Load);
        Assert.Equal(1.1, step.BusyCores!.Value, Tolerance);
    }

    [Fact]
    public void Busy_cores_are_unknown_when_neither_the_machine_nor_the_servers_could_be_read()
    {
        var analysis = new StudySweeps().Cell("cpu", 1, 1, StudySweeps.Run(300, 3.3, generatorCores: 0.1)).Analysis();

        Assert.Null(Assert.Single(analysis.Profiles[0].Scaling).BusyCores);
    }

    [Fact]
    public void The_knee_is_where_latency_first_grew_more_than_throughput_on_the_fewest_instances()
    {
        // 4 → 8 gained +90% for +5% latency; 8 → 16 gained +5% for +90%: the knee is at 8. The 2-instance fleet's cells do not count.
        var analysis = new StudySweeps()
            .Grid("io", [2, 1], [[1, 2, 4], [16, 1, 4, 8, 2]], [[100, 200, 800], [399, 50, 200, 380, 100]])
            .Analysis();

        var study = analysis.Profiles[0];
        Assert.Equal([1, 2, 4, 8, 16], study.LoadCurve.Select(c => c.Cell.Load));
        Assert.All(study.LoadCurve, c => Assert.Equal(1, c.Cell.Instances));
        Assert.Equal(8, study.Knee!.Before.Cell.Load);
        Assert.Equal(16, study.Knee.After.Cell.Load);
        Assert.Equal(399 / 380.0 - 1, study.Knee.ThroughputGain, Tolerance);
        Assert.Equal((16 / 399.0) / (8 / 380.0) - 1, study.Knee.LatencyGrowth, Tolerance);
        // Cells by instances, then load.
        Assert.Equal([(1, 1.0), (1, 2), (1, 4), (1, 8), (1, 16), (2, 1), (2, 2), (2, 4)], study.Cells.Select(c => (c.Cell.Instances, c.Cell.Load)));
    }

    [Fact]
    public void A_curve_whose_throughput_always_grew_more_than_its_latency_has_no_knee()
    {
        var study = new StudySweeps().Grid("io", [1], [[1, 2, 4]], [[100, 200, 400]]).Analysis().Profiles[0];

        Assert.Null(study.Knee);
    }

    [Fact]
    public void The_usl_is_fitted_over_instances_only_from_three_instance_counts()
    {
        var two = new StudySweeps().Grid("io", [1, 2], [[8], [16]], [[400], [790]]).Analysis().Profiles[0];
        Assert.Null(two.ScalingFit);

        var four = new StudySweeps().Grid("io", [1, 2, 4, 8], [[8], [16], [32], [64]], [[400], [790], [1560], [3100]]).Analysis().Profiles[0];
        var fit = Assert.IsType<UslModel>(four.ScalingFit);
        Assert.Equal(4, fit.Points);
        Assert.InRange(fit.Throughput(8), 3100 * 0.98, 3100 * 1.02);
        Assert.InRange(fit.Lambda, 390, 410);

        // A fleet whose every call failed is a step (it served nothing) but no point of the fit: two usable counts remain.
        var failed = new StudySweeps()
            .Grid("io", [1, 2], [[8], [16]], [[400], [790]])
            .Cell("io", 4, 32, StudySweeps.Run(0, 20, failedPerSecond: 1600))
            .Analysis().Profiles[0];
        Assert.Equal(3, failed.Scaling.Count);
        Assert.Equal(0, failed.Scaling[^1].Throughput);
        Assert.Null(failed.ScalingFit);
    }

    [Fact]
    public void The_usl_is_fitted_over_concurrency_for_a_closed_model_from_three_levels()
    {
        var closed = new StudySweeps().Grid("io", [1], [[1, 2, 4]], [[100, 190, 300]]).Analysis().Profiles[0];
        Assert.Equal(3, Assert.IsType<UslModel>(closed.LoadFit).Points);

        var twoLevels = new StudySweeps().Grid("io", [1], [[1, 2]], [[100, 190]]).Analysis().Profiles[0];
        Assert.Null(twoLevels.LoadFit);

        var open = new StudySweeps()
            .Cell("io", 1, 100, StudySweeps.Run(100, 10), openModel: true)
            .Cell("io", 1, 200, StudySweeps.Run(190, 10), openModel: true)
            .Cell("io", 1, 400, StudySweeps.Run(300, 10), openModel: true)
            .Analysis().Profiles[0];
        Assert.True(open.OpenModel);
        Assert.Null(open.LoadFit);
    }

    [Fact]
    public void Runs_that_cannot_be_read_are_listed_and_left_out()
    {
        var analysis = new StudySweeps()
            .Cell("io", 1, 8, StudySweeps.Run(400, 20))
            .Cell("io", 2, 16, null)
            .Cell("io", 4, 32, StudySweeps.Run(1500, 21.3))
            .Cell("cpu", 1, 8, null)
            .NotRun("cpu", 2, 16)
            .Analysis();

        Assert.Equal([StudySweeps.Folder("io", "round_robin", 2, 16), StudySweeps.Folder("cpu", "round_robin", 1, 8)], analysis.MissingRuns);
        var io = Assert.Single(analysis.Profiles);
        Assert.Equal([1, 4], io.Cells.Select(c => c.Cell.Instances));
        Assert.Equal(5, analysis.Sweep.Cells.Count);
    }

    [Fact]
    public void A_run_that_measured_nothing_is_no_reading_and_is_left_out_of_every_figure()
    {
        // The sweep was interrupted during the 4-instance run's warm-up: no call ended in its measured phase.
        var analysis = new StudySweeps()
            .Grid("io", [1, 2], [[8], [16]], [[400], [800]])
            .Cell("io", 4, 32, StudySweeps.Run(0, 0, valid: false, partial: true))
            .Analysis(StudySweeps.PerInstance([1, 2, 4], 8), partialReason: "interrupted");

        Assert.Equal([StudySweeps.Folder("io", "round_robin", 4, 32)], analysis.UnmeasuredRuns);
        Assert.Empty(analysis.MissingRuns);
        var io = Assert.Single(analysis.Profiles);
        Assert.Equal([1, 2], io.Cells.Select(c => c.Cell.Instances));
        Assert.Equal([1, 2], io.Scaling.Select(s => s.Instances));
        // Read as zero calls a second, the run made this "4 instances fell back to 0.00× (100% less than 2)".
        Assert.Equal("io: 2.00× on 2 instances — linear (100% efficiency)", Assert.Single(StudyVerdict.Of(analysis)));
    }

    [Fact]
    public void A_fleet_that_a_stopped_sweep_measured_at_only_some_of_its_loads_is_left_out_of_the_scaling()
    {
        // 2 instances were interrupted before 32 callers, where their best would have been.
        var spec = StudySweeps.PerInstance([1, 2], 4, 8, 16);
        var sweeps = new StudySweeps()
            .Grid("io", [1, 2], [[4, 8, 16], [8, 16]], [[180, 350, 380], [180, 350]]);

        var stopped = sweeps.Analysis(spec, partialReason: "interrupted").Profiles[0];

        Assert.Equal([2], stopped.PartlyMeasuredFleets);
        Assert.Equal([1], stopped.Scaling.Select(s => s.Instances));
        Assert.Equal(5, stopped.Cells.Count);
        // Compared by its best measured load, it made this "no gain from more instances ... 2 instances gave 0.92×".
        Assert.DoesNotContain("instances", StudyVerdict.Of(stopped, withPolicy: false, cores: 2), StringComparison.Ordinal);

        // Once measured at every load, it is compared.
        var whole = sweeps.Cell("io", 2, 32, StudySweeps.Run(700, 45.7)).Analysis(spec).Profiles[0];
        Assert.Empty(whole.PartlyMeasuredFleets);
        Assert.Equal([1, 2], whole.Scaling.Select(s => s.Instances));
    }

    [Fact]
    public void Each_profile_and_policy_is_studied_apart_with_the_work_the_sweep_gave_it()
    {
        var io = new WorkProfile { Name = "io", Delay = TimeSpan.FromMilliseconds(20), Capacity = 8 };
        var sweeps = new StudySweeps()
            .Grid("io", [1, 2], [[8], [16]], [[400], [790]], policy: "round_robin")
            .Grid("io", [1, 2], [[8], [16]], [[400], [420]], policy: "pick_first")
            .Grid("cpu", [1, 2], [[8], [16]], [[300], [350]], policy: "round_robin");

        var analysis = sweeps.Analysis(StudySweeps.Spec("study", io, new WorkProfile { Name = "cpu", Cpu = TimeSpan.FromMilliseconds(2) }));

        Assert.Equal([("io", "round_robin"), ("io", "pick_first"), ("cpu", "round_robin")], analysis.Profiles.Select(p => (p.Profile, p.Policy)));
        Assert.True(analysis.SeveralPolicies);
        Assert.Same(io, analysis.Profiles[0].Work);
        Assert.Equal(TimeSpan.FromMilliseconds(2), analysis.Profiles[2].Work!.Cpu);
        AssertAll([1, 0.525], analysis.Profiles[1].Scaling.Select(s => s.Efficiency));
        Assert.Equal("io (pick_first)", analysis.Profiles[1].Label(withPolicy: true));
        Assert.Equal("io", analysis.Profiles[1].Label(withPolicy: false));

        // Without profiles in the sweep, the study knows no work; with one policy, it names none.
        var plain = new StudySweeps().Grid("unary-closed", [1], [[8]], [[400]]).Analysis();
        Assert.Null(plain.Profiles[0].Work);
        Assert.False(plain.SeveralPolicies);
    }

    [Fact]
    public void A_sweep_with_no_readable_run_has_no_profiles()
    {
        var analysis = new StudySweeps().Cell("io", 1, 8, null).NotRun("io", 2, 16).Analysis();

        Assert.Empty(analysis.Profiles);
        Assert.Single(analysis.MissingRuns);
    }

    private static void AssertAll(IReadOnlyList<double> expected, IEnumerable<double> actual)
    {
        var values = actual.ToList();
        Assert.Equal(expected.Count, values.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], values[i], Tolerance);
        }
    }

}

using GrpcLoadLab.Balancer;
using GrpcLoadLab.LoadGen.Fleet;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Sweeps;

namespace GrpcLoadLab.LoadGen.Tests.Sweeps;

/// <summary>How a sweep becomes its cells, each cell its scenario, and the cells their fleets.</summary>
public class SweepPlanTests
{
    private static readonly WorkProfile Io = new() { Name = "io", Delay = TimeSpan.FromMilliseconds(20), Capacity = 8, Queue = 128 };
    private static readonly WorkProfile Cpu = new() { Name = "cpu", Cpu = TimeSpan.FromMilliseconds(2), Pin = true };

    /// <summary>A scenario whose every setting differs from the defaults, so that a setting lost on the way shows.</summary>
    private static readonly Scenario Base = ScenarioLoader.Parse(
        """
        {
          "name": "base",
          "description": "the base",
          "target": { "address": "static:127.0.0.1:1", "policy": "least_outstanding", "connectionsPerEndpoint": 2, "retry": "retry", "healthChecks": false },
          "call": { "kind": "server-stream", "requestSize": 10, "replySize": 20, "replies": 3, "delay": "1ms", "cpu": "100us", "deadline": "2s" },
          "phases": [{ "type": "poisson", "rate": 5, "duration": "1s" }],
          "thresholds": ["p99 < 5ms", "errors < 1%"],
          "report": { "directory": "elsewhere" },
          "maxOutstanding": 77,
          "seed": 9
        }
        """,
        "base.json");

    [Fact]
    public void Cells_run_by_profile_then_instances_then_policy_then_load()
    {
        var plan = new SweepPlan(
            Spec(instances: [4, 1, 2], concurrency: [16, 8]) with
            {
                Profiles = [Io, Cpu],
                Policies = [BalancingPolicy.PickFirst, BalancingPolicy.RoundRobin],
            },
            Base);

        // Profiles and policies in the order given; instances and loads ascending.
        var expected = new List<(string, int, BalancingPolicy, double)>();
        foreach (var profile in new[] { "io", "cpu" })
        {
            foreach (var instances in new[] { 1, 2, 4 })
            {
                foreach (var policy in new[] { BalancingPolicy.PickFirst, BalancingPolicy.RoundRobin })
                {
                    expected.Add((profile, instances, policy, 8));
                    expected.Add((profile, instances, policy, 16));
                }
            }
        }

        Assert.Equal(expected, plan.Cells.Select(c => (c.Profile.Name, c.Instances, c.Policy, c.Load)));
        Assert.Equal(Enumerable.Range(0, 24), plan.Cells.Select(c => c.Index));
        Assert.All(plan.Cells, c => Assert.False(c.OpenModel));
        Assert.Same(Io, plan.Cells[0].Profile);
        Assert.Equal([Io, Cpu], plan.Profiles);
        Assert.Equal([BalancingPolicy.PickFirst, BalancingPolicy.RoundRobin], plan.Policies);
    }

    [Fact]
    public void Per_instance_levels_are_multiplied_by_the_instance_count()
    {
        var totals = new SweepPlan(Spec(instances: [1, 2, 4], concurrency: [1, 8]), Base);
        Assert.Equal([1, 8, 1, 8, 1, 8], totals.Cells.Select(c => c.Load));

        var perInstance = new SweepPlan(Spec(instances: [1, 2, 4], concurrency: [1, 8]) with { PerInstance = true }, Base);
        Assert.Equal([1, 8, 2, 16, 4, 32], perInstance.Cells.Select(c => c.Load));

        var open = new SweepPlan(Spec(instances: [3, 1]) with { Rate = [12.5, 100], PerInstance = true }, Base);
        Assert.Equal([12.5, 100, 37.5, 300], open.Cells.Select(c => c.Load));
    }

    [Fact]
    public void Rate_makes_open_model_cells_and_concurrency_closed_ones()
    {
        var open = new SweepPlan(Spec(instances: [2]) with { Rate = [400, 12.5] }, Base);
        Assert.All(open.Cells, c => Assert.True(c.OpenModel));
        Assert.Equal(["12.5/s", "400/s"], open.Cells.Select(c => c.LoadText));

        var closed = new SweepPlan(Spec(instances: [2], concurrency: [64]), Base);
        Assert.False(Assert.Single(closed.Cells).OpenModel);
        Assert.Equal("64 concurrent", closed.Cells[0].LoadText);
    }

    [Fact]
    public void Run_names_hold_the_sweep_profile_instances_and_load_and_the_policy_only_when_there_are_several()
    {
        var one = new SweepPlan(Spec(instances: [4], concurrency: [32]) with { Profiles = [Io] }, Base);
        Assert.Equal("s-io-n4-c32", one.ScenarioFor(one.Cells[0], "/lab/servers.txt", "reports", freshFleet: false).Name);
        Assert.Equal("s-io-n4-c32", one.Cells[0].RunName(one.Spec, namePolicy: false));
        // A sweep named after its profile does not say it twice.
        Assert.Equal("io-n4-c32", one.Cells[0].RunName(one.Spec with { Name = "io" }, namePolicy: false));

        var several = new SweepPlan(Spec(instances: [4], concurrency: [32]) with { Profiles = [Io], Policies = [BalancingPolicy.RoundRobin, BalancingPolicy.PickFirst] }, Base);
        Assert.Equal(
            ["s-io-round_robin-n4-c32", "s-io-pick_first-n4-c32"],
            several.Cells.Select(c => several.ScenarioFor(c, "/lab/servers.txt", "reports", freshFleet: false).Name));

        // One policy given explicitly is still one policy.
        var single = new SweepPlan(Spec(instances: [1], concurrency: [2]) with { Policies = [BalancingPolicy.PickFirst] }, Base);
        Assert.Equal("s-base-n1-c2", single.ScenarioFor(single.Cells[0], "/lab/servers.txt", "reports", freshFleet: false).Name);

        var open = new SweepPlan(Spec(instances: [2]) with { Rate = [12.5, 1000] }, Base);
        Assert.Equal(["s-base-n2-r12.5", "s-base-n2-r1000"], open.Cells.Select(c => c.RunName(open.Spec, namePolicy: false)));

        // Every run name is a valid scenario name (it names the run's folder).
        Assert.All(several.Cells.Concat(open.Cells), c => Assert.Null(ScenarioRules.Name(c.RunName(several.Spec, namePolicy: true))));
    }

    [Fact]
    public void A_cells_scenario_is_the_base_aimed_at_the_fleet_with_the_cells_policy_work_and_load()
    {
        var plan = new SweepPlan(Spec(instances: [1, 4], concurrency: [8]) with { Profiles = [Io], Policies = [BalancingPolicy.PickFirst, BalancingPolicy.RoundRobin], PerInstance = true }, Base);
        var cell = plan.Cells.Single(c => c.Instances == 4 && c.Policy == BalancingPolicy.RoundRobin);

        var scenario = plan.ScenarioFor(cell, "/tmp/lab/servers.txt", "/tmp/reports", freshFleet: false);

        Assert.Equal("s-io-round_robin-n4-c32", scenario.Name);
        Assert.Equal("Sweep s, profile io: 4 instances, 32 concurrent, round_robin.", scenario.Description);
        // The fleet's registry and the cell's policy; the rest of the target as the scenario gave it.
        Assert.Equal(Base.Target with { Address = TargetAddress.Registry("/tmp/lab/servers.txt"), Policy = BalancingPolicy.RoundRobin }, scenario.Target);
        // The profile's work replaces the scenario's, both of it: the profile gives no CPU, so there is none.
        Assert.Equal(Base.Call with { Delay = TimeSpan.FromMilliseconds(20), Cpu = TimeSpan.Zero }, scenario.Call);
        Assert.Equal(
            [
                new ConstantConcurrencyPhase(32, TimeSpan.FromSeconds(2)) { Name = "warm-up", Warmup = true },
                new ConstantConcurrencyPhase(32, TimeSpan.FromSeconds(10)),
            ],
            scenario.Phases);
        Assert.Empty(scenario.Thresholds);
        Assert.Equal("/tmp/reports", scenario.Report.Directory);
        Assert.Equal(77, scenario.MaxOutstanding);
        Assert.Equal(9, scenario.Seed);
        // The plan's own scenario is left as it was.
        Assert.Equal("base", plan.Scenario.Name);
        Assert.Equal(2, plan.Scenario.Thresholds.Count);
    }

    [Fact]
    public void A_fresh_fleet_warms_up_first_at_the_highest_concurrency_its_cells_ask()
    {
        var plan = new SweepPlan(Spec(instances: [2], concurrency: [2, 8]) with { Warmup = TimeSpan.FromSeconds(1), FleetWarmup = TimeSpan.FromMilliseconds(2500), Duration = TimeSpan.FromSeconds(3) }, Base);
        var cell = plan.Cells[0];

        var fresh = plan.ScenarioFor(cell, "servers.txt", "reports", freshFleet: true);
        var warm = plan.ScenarioFor(cell, "servers.txt", "reports", freshFleet: false);

        Assert.Equal(
            [
                new ConstantConcurrencyPhase(8, TimeSpan.FromMilliseconds(2500)) { Name = "fleet warm-up", Warmup = true },
                new ConstantConcurrencyPhase(2, TimeSpan.FromSeconds(1)) { Name = "warm-up", Warmup = true },
                new ConstantConcurrencyPhase(2, TimeSpan.FromSeconds(3)),
            ],
            fresh.Phases);
        Assert.Equal(
            [
                new ConstantConcurrencyPhase(2, TimeSpan.FromSeconds(1)) { Name = "warm-up", Warmup = true },
                new ConstantConcurrencyPhase(2, TimeSpan.FromSeconds(3)),
            ],
            warm.Phases);

        // Without a fleet warm-up, a fresh fleet warms up like any cell.
        var none = new SweepPlan(plan.Spec with { FleetWarmup = TimeSpan.Zero }, Base);
        Assert.Equal(warm.Phases, none.ScenarioFor(none.Cells[0], "servers.txt", "reports", freshFleet: true).Phases);
    }

    [Fact]
    public void An_open_model_cell_measures_at_a_constant_rate()
    {
        var plan = new SweepPlan(Spec(instances: [2]) with { Rate = [150.5], PerInstance = true, Profiles = [Cpu] }, Base);

        var scenario = plan.ScenarioFor(plan.Cells[0], "/lab/servers.txt", "out", freshFleet: true);

        Assert.Equal(
            [
                new ConstantRatePhase(301, TimeSpan.FromSeconds(3)) { Name = "fleet warm-up", Warmup = true },
                new ConstantRatePhase(301, TimeSpan.FromSeconds(2)) { Name = "warm-up", Warmup = true },
                new ConstantRatePhase(301, TimeSpan.FromSeconds(10)),
            ],
            scenario.Phases);
        Assert.Equal(TimeSpan.Zero, scenario.Call.Delay);
        Assert.Equal(TimeSpan.FromMilliseconds(2), scenario.Call.Cpu);
        Assert.Equal("file:/lab/servers.txt", scenario.Target.Address.Text);
        // No policies given: the scenario's.
        Assert.Equal(BalancingPolicy.LeastOutstanding, scenario.Target.Policy);
        Assert.Equal("s-cpu-n2-r301", scenario.Name);
    }

    [Fact]
    public void Without_profiles_one_profile_named_after_the_scenario_does_its_work()
    {
        var plan = new SweepPlan(Spec(instances: [1, 2], concurrency: [4]), Base);

        var profile = Assert.Single(plan.Profiles);
        Assert.Equal(new WorkProfile { Name = "base", Delay = TimeSpan.FromMilliseconds(1), Cpu = TimeSpan.FromMicroseconds(100) }, profile);
        Assert.Equal([BalancingPolicy.LeastOutstanding], plan.Policies);
        Assert.All(plan.Cells, c => Assert.Same(profile, c.Profile));

        var scenario = plan.ScenarioFor(plan.Cells[1], "/lab/servers.txt", "reports", freshFleet: false);
        Assert.Equal(Base.Call, scenario.Call);
        Assert.Equal("s-base-n2-c4", scenario.Name);
        // An unlimited fleet.
        Assert.Equal(new FleetSettings(2, 0, null, false, 5301), plan.Cells[1].Fleet(5301));
    }

    [Fact]
    public void Cells_share_a_fleet_while_the_instances_and_the_profiles_fleet_settings_stay()
    {
        // a and b differ only in their work, which the calls carry: one fleet serves both. c limits capacity.
        WorkProfile a = new() { Name = "a", Delay = TimeSpan.FromMilliseconds(1) };
        WorkProfile b = new() { Name = "b", Delay = TimeSpan.FromMilliseconds(5) };
        WorkProfile c = new() { Name = "c", Delay = TimeSpan.FromMilliseconds(5), Capacity = 4 };
        var plan = new SweepPlan(Spec(instances: [2], concurrency: [1, 2]) with { Profiles = [a, b, c], Policies = [BalancingPolicy.RoundRobin, BalancingPolicy.PickFirst] }, Base);

        Assert.Equal(12, plan.Cells.Count);
        Assert.Equal(plan.Cells[0].Fleet(5301), plan.Cells[7].Fleet(5301));
        Assert.NotEqual(plan.Cells[7].Fleet(5301), plan.Cells[8].Fleet(5301));
        Assert.NotEqual(plan.Cells[0].Fleet(5301), plan.Cells[0].Fleet(5401));
        Assert.Equal([0, 8], FleetStarts(plan));

        // Over instances: one start per instance count and profile, since profiles come first.
        var grid = new SweepPlan(Spec(instances: [1, 2, 4], concurrency: [1, 2]) with { Profiles = [Io, Cpu], Policies = [BalancingPolicy.RoundRobin, BalancingPolicy.PickFirst] }, Base);
        Assert.Equal([0, 4, 8, 12, 16, 20], FleetStarts(grid));
        Assert.All(FleetStarts(grid), i => Assert.Equal(BalancingPolicy.RoundRobin, grid.Cells[i].Policy));
        Assert.Equal(new FleetSettings(4, 8, 128, false, 6000), grid.Cells[8].Fleet(6000));
        Assert.Equal(new FleetSettings(1, 0, null, true, 6000), grid.Cells[12].Fleet(6000));
    }

    [Fact]
    public void The_load_time_counts_each_cells_warm_up_and_measurement_and_each_fleets_warm_up()
    {
        var plan = new SweepPlan(Spec(instances: [1, 2], concurrency: [8, 16]), Base);

        // 4 cells of 2 s + 10 s, and 2 fleets of 3 s.
        Assert.Equal(TimeSpan.FromSeconds(54), plan.LoadTime);
    }

    [Fact]
    public void The_fleet_script_gets_the_instances_port_and_capacity_and_the_queue_and_pin_when_set()
    {
        Assert.Equal(
            ["start", "4", "--base-port", "5301", "--capacity", "8", "--queue", "128", "--pin"],
            new FleetSettings(4, 8, 128, true, 5301).StartArguments());
        Assert.Equal(
            ["start", "1", "--base-port", "6000", "--capacity", "0"],
            new FleetSettings(1, 0, null, false, 6000).StartArguments());
        Assert.Equal(
            ["start", "64", "--base-port", "1024", "--capacity", "2", "--queue", "0"],
            new FleetSettings(64, 2, 0, false, 1024).StartArguments());

        Assert.Equal("4 instances, capacity 8, queue 128, pinned", new FleetSettings(4, 8, 128, true, 5301).ToString());
        Assert.Equal("1 instance, unlimited capacity", new FleetSettings(1, 0, null, false, 6000).ToString());
    }

    [Fact]
    public void A_profile_with_a_command_starts_that_server_in_place_of_the_labs()
    {
        var mine = new FleetSettings(2, 0, null, true, 7000, "python3 server.py --port {port}");

        Assert.Equal(["start", "2", "--base-port", "7000", "--command", "python3 server.py --port {port}", "--pin"], mine.StartArguments());
        Assert.Equal("2 instances of 'python3 server.py --port {port}', pinned", mine.ToString());
        // Two profiles that differ only in their command run on two fleets.
        Assert.NotEqual(mine, mine with { Command = "python3 server.py --workers 4 --port {port}" });
    }

    /// <summary>The cells on which the sweep (re)starts its fleet: as the runner decides, when the fleet needed changes.</summary>
    private static List<int> FleetStarts(SweepPlan plan)
    {
        var starts = new List<int>();
        FleetSettings? running = null;
        foreach (var cell in plan.Cells)
        {
            var needed = plan.Fleet(cell);
            if (needed != running)
            {
                starts.Add(cell.Index);
                running = needed;
            }
        }

        return starts;
    }

    private static SweepSpec Spec(IReadOnlyList<int> instances, IReadOnlyList<int>? concurrency = null) => new()
    {
        Name = "s",
        Scenario = "base.json",
        Instances = instances,
        Concurrency = concurrency,
    };
}

using GrpcLoadLab.Balancer;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Sweeps;

namespace GrpcLoadLab.LoadGen.Tests.Sweeps;

/// <summary>Sweep files: the defaults a valid one gets, and one line naming the path and the fix for every bad one.</summary>
public class SweepLoaderTests
{
    private const string Scenario = "\"scenario\": \"../unary-closed.json\"";

    public static TheoryData<string, string?, string> Errors => new()
    {
        // Not JSON, or not a sweep object.
        { " \n", null, "is empty — write one such as {\"name\": \"x\", \"scenario\": \"../unary-closed.json\", \"instances\": [1, 2], \"concurrency\": [8, 16]}" },
        { "[1, 2]", "$", "must be an object holding the sweep, e.g. {\"name\": \"x\", \"scenario\": \"../unary-closed.json\", \"instances\": [1, 2], \"concurrency\": [8, 16]}" },
        { "\"demo\"", "$", "must be an object holding the sweep" },
        { "{\"name\": \"s\",,}", null, "line 1, column 14: not valid JSON" },

        // Unknown, missing and null keys.
        { Doc("\"instancess\": [4]"), "$.instancess", "unknown key 'instancess' — the keys allowed here are" },
        { Doc("\"profiles\": [{\"name\": \"io\", \"capacty\": 8}]"), "$.profiles[0].capacty", "unknown key 'capacty' — the keys allowed here are name, description, delay, cpu, capacity, queue, pin" },
        { "{" + Scenario + ", \"instances\": [1], \"concurrency\": [8]}", "$", "missing key 'name' — add it: a string" },
        { "{\"name\": \"s\", \"instances\": [1], \"concurrency\": [8]}", "$", "missing key 'scenario' — add it: a string" },
        { "{\"name\": \"s\", " + Scenario + ", \"concurrency\": [8]}", "$", "missing key 'instances' — add it: a list" },
        { "{\"name\": null, " + Scenario + ", \"instances\": [1], \"concurrency\": [8]}", "$.name", "must not be null" },

        // The name and the scenario.
        { Named("my sweep/1"), "$.name", "'my sweep/1' must be at most 100 letters, digits, '-', '_' or '.' (it names the results folder) — e.g. \"unary-closed\"" },
        { Named(""), "$.name", "must not be empty — e.g. \"unary-closed\"" },
        { Named(new string('a', 101)), "$.name", $"'{new string('a', 101)}' must be at most 100 letters" },
        { "{\"name\": \"s\", \"scenario\": \" \", \"instances\": [1], \"concurrency\": [8]}", "$.scenario", "must not be empty — e.g. \"../unary-closed.json\"" },

        // Instances.
        { Doc(null, instances: "[]"), "$.instances", "is empty — give at least one value, e.g. [1, 2, 4]" },
        { Doc(null, instances: "[0]"), "$.instances[0]", "must be from 1 to 64 instances (the fleet script's bound) (e.g. 4)" },
        { Doc(null, instances: "[1, 65]"), "$.instances[1]", "must be from 1 to 64 instances (the fleet script's bound) (e.g. 4)" },
        { Doc(null, instances: "[-2]"), "$.instances[0]", "must be from 1 to 64 instances" },
        { Doc(null, instances: "[1, 2, 2]"), "$.instances[2]", "repeats 2 — give each value once" },
        { Doc(null, instances: "[1.5]"), "$.instances[0]", "must be a whole number, not 1.5" },
        { Doc(null, instances: "4"), "$.instances", "must be a list [...], not 4" },

        // The load.
        { Doc(null, load: null), "$", "names no load — add \"concurrency\": [8, 16, 32] (closed model) or \"rate\": [100, 200] (open model)" },
        { Doc(null, load: "\"concurrency\": [8], \"rate\": [100]"), "$.rate", "cannot be given with \"concurrency\" — a sweep varies one load model; split it into two sweeps" },
        { Doc(null, load: "\"concurrency\": []"), "$.concurrency", "is empty — give at least one value, e.g. [8, 16, 32]" },
        { Doc(null, load: "\"concurrency\": [8, 0]"), "$.concurrency[1]", "must be from 1 to 100000 calls in flight (e.g. 16)" },
        { Doc(null, load: "\"concurrency\": [8, 8]"), "$.concurrency[1]", "repeats 8 — give each value once" },
        { Doc(null, load: "\"rate\": [-1]"), "$.rate[0]", "must be more than 0 and at most 1000000 calls a second (e.g. 100)" },
        { Doc(null, load: "\"rate\": [100, 0]"), "$.rate[1]", "must be more than 0 and at most 1000000 calls a second" },
        { Doc(null, load: "\"rate\": []"), "$.rate", "is empty — give at least one value, e.g. [100, 200, 400]" },
        { Doc(null, load: "\"rate\": [\"fast\"]"), "$.rate[0]", "must be a number, not \"fast\"" },

        // Policies.
        { Doc("\"policies\": []"), "$.policies", "is empty — give at least one value, e.g. [\"round_robin\", \"pick_first\"]" },
        { Doc("\"policies\": [\"roundrobin\"]"), "$.policies[0]", "'roundrobin' is not allowed here — use one of round_robin, pick_first or least_outstanding" },
        { Doc("\"policies\": [\"round_robin\", \"round_robin\"]"), "$.policies[1]", "repeats round_robin — give each value once" },

        // Profiles.
        { Doc("\"profiles\": []"), "$.profiles", "is empty — leave it out for the scenario's own work, or give profiles such as [{\"name\": \"io-bound\", \"delay\": \"20ms\", \"capacity\": 8}]" },
        { Doc("\"profiles\": [null]"), "$.profiles[0]", "must be a profile such as {\"name\": \"io-bound\", \"delay\": \"20ms\", \"capacity\": 8}" },
        { Doc("\"profiles\": [{\"delay\": \"20ms\"}]"), "$.profiles[0]", "missing key 'name' — add it: a string" },
        { Doc("\"profiles\": [{\"name\": \"io\", \"capacity\": -1}]"), "$.profiles[0].capacity", "must be from 0 to 100000 calls at once (0: unlimited) (e.g. 8)" },
        { Doc("\"profiles\": [{\"name\": \"io\", \"capacity\": 8, \"queue\": -1}]"), "$.profiles[0].queue", "must be from 0 to 100000 waiting calls (e.g. 64)" },
        { Doc("\"profiles\": [{\"name\": \"io\"}, {\"name\": \"slow\", \"delay\": \"-20ms\"}]"), "$.profiles[1].delay", "must be from 0s (none) to 1h" },
        { Doc("\"profiles\": [{\"name\": \"cpu\", \"cpu\": \"-1ms\"}]"), "$.profiles[0].cpu", "must be from 0s (none) to 1h" },
        { Doc("\"profiles\": [{\"name\": \"io\", \"delay\": \"twenty\"}]"), "$.profiles[0].delay", "'twenty' is not a duration — write it like 500ms, 10s or 2m" },
        { Doc("\"profiles\": [{\"name\": \"io\", \"pin\": \"yes\"}]"), "$.profiles[0].pin", "must be true or false, not \"yes\"" },

        // Timings and ports.
        { Doc("\"warmup\": \"0s\""), "$.warmup", "must be more than 0 and at most 24h (e.g. 10s)" },
        { Doc("\"duration\": \"0ms\""), "$.duration", "must be more than 0 and at most 24h (e.g. 10s)" },
        { Doc("\"fleetWarmup\": \"-1s\""), "$.fleetWarmup", "must be from 0s (none) to 24h" },
        { Doc("\"duration\": 10"), "$.duration", "must be a duration such as \"500ms\", \"10s\" or \"2m\", not 10" },
        { Doc("\"basePort\": 80"), "$.basePort", "must be from 1024 to 65471 (the fleet takes the ports from it up) (e.g. 5301)" },
        { Doc("\"basePort\": 65472"), "$.basePort", "must be from 1024 to 65471 (the fleet takes the ports from it up) (e.g. 5301)" },
        { Doc("\"perInstance\": 1"), "$.perInstance", "must be true or false, not 1" },

        // The grid's size: 64 instance counts × 8 levels.
        { Doc(null, instances: Range(1, 64), load: "\"concurrency\": " + Range(1, 8)), "$", "makes 512 cells, more than 500 — vary fewer values, or split it into several sweeps" },
        { Doc("\"profiles\": [{\"name\": \"a\"}, {\"name\": \"b\"}], \"policies\": [\"round_robin\", \"pick_first\"]", instances: Range(1, 32), load: "\"rate\": [1, 2, 3, 4]"), "$", "makes 512 cells, more than 500" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void A_bad_sweep_is_one_line_naming_the_path_and_the_fix(string json, string? path, string problem)
    {
        var error = Assert.Throws<ScenarioException>(() => SweepLoader.Parse(json, "bad.json"));

        Assert.Equal("bad.json", error.Origin);
        Assert.Equal(path, error.Path);
        Assert.StartsWith(problem, error.Problem, StringComparison.Ordinal);
        Assert.Equal(path is null ? $"bad.json: {error.Problem}" : $"bad.json: {path}: {error.Problem}", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain("System.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Some_messages_in_full()
    {
        Assert.Equal(
            "bad.json: $.instances[0]: must be from 1 to 64 instances (the fleet script's bound) (e.g. 4)",
            Assert.Throws<ScenarioException>(() => SweepLoader.Parse(Doc(null, instances: "[0]"), "bad.json")).Message);
        Assert.Equal(
            "bad.json: $: names no load — add \"concurrency\": [8, 16, 32] (closed model) or \"rate\": [100, 200] (open model)",
            Assert.Throws<ScenarioException>(() => SweepLoader.Parse(Doc(null, load: null), "bad.json")).Message);
        Assert.Equal(
            "bad.json: $.basePort: must be from 1024 to 65471 (the fleet takes the ports from it up) (e.g. 5301)",
            Assert.Throws<ScenarioException>(() => SweepLoader.Parse(Doc("\"basePort\": 80"), "bad.json")).Message);
        Assert.Equal(
            "bad.json: $.profiles[0].capacity: must be from 0 to 100000 calls at once (0: unlimited) (e.g. 8)",
            Assert.Throws<ScenarioException>(() => SweepLoader.Parse(Doc("\"profiles\": [{\"name\": \"io\", \"capacity\": -8}]"), "bad.json")).Message);
        Assert.Equal(
            "bad.json: $.instancess: unknown key 'instancess' — the keys allowed here are $schema, name, description, scenario, instances, concurrency, rate, perInstance, policies, profiles, warmup, fleetWarmup, duration, basePort, serverTls",
            Assert.Throws<ScenarioException>(() => SweepLoader.Parse(Doc("\"instancess\": [4]"), "bad.json")).Message);
    }

    [Theory]
    [InlineData("[{\"name\": \"io\"}, {\"name\": \"io\", \"delay\": \"5ms\"}]", 1, "repeats 'io' — give each profile its own name")]
    [InlineData("[{\"name\": \"io bound\"}]", 0, "'io bound' must be at most 100 letters, digits, '-', '_' or '.'")]
    [InlineData("[{\"name\": \"\"}]", 0, "must not be empty")]
    public void A_bad_profile_name_is_named_at_its_profile(string profiles, int index, string problem)
    {
        var error = Assert.Throws<ScenarioException>(() => SweepLoader.Parse(Doc($"\"profiles\": {profiles}"), "bad.json"));

        Assert.Equal($"$.profiles[{index}].name", error.Path);
        Assert.StartsWith(problem, error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"name\": \"mine\", \"command\": \"./server\"}", "$.profiles[0].command", "must say where each instance's port goes with {port}")]
    [InlineData("{\"name\": \"mine\", \"command\": \"./server {port}\", \"capacity\": 8}", "$.profiles[0].capacity", "is an option of the lab's server; with \"command\", give your server's own options in its command")]
    [InlineData("{\"name\": \"mine\", \"command\": \"./server {port}\", \"queue\": 0}", "$.profiles[0].queue", "is an option of the lab's server")]
    public void A_profiles_command_must_place_the_port_and_leaves_the_lab_servers_options_out(string profile, string path, string problem)
    {
        var error = Assert.Throws<ScenarioException>(() => SweepLoader.Parse(Doc($"\"profiles\": [{profile}]"), "bad.json"));

        Assert.Equal(path, error.Path);
        Assert.StartsWith(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_sweep_gets_the_defaults()
    {
        var spec = SweepLoader.Parse(Doc(null), "ok.json");

        Assert.Equal("s", spec.Name);
        Assert.Null(spec.Description);
        Assert.Equal("../unary-closed.json", spec.Scenario);
        Assert.Equal([1, 2], spec.Instances);
        Assert.Equal([8, 16], spec.Concurrency!);
        Assert.Null(spec.Rate);
        Assert.Null(spec.Policies);
        Assert.Null(spec.Profiles);
        Assert.False(spec.PerInstance);
        Assert.Equal(TimeSpan.FromSeconds(2), spec.Warmup);
        Assert.Equal(TimeSpan.FromSeconds(3), spec.FleetWarmup);
        Assert.Equal(TimeSpan.FromSeconds(10), spec.Duration);
        Assert.Equal(5301, spec.BasePort);
    }

    [Fact]
    public void Every_key_is_read()
    {
        var spec = SweepLoader.Parse(
            """
            {
              "$schema": "./sweep.schema.json",
              "name": "full.sweep_1",
              "description": "all of it",
              "scenario": "../unary-open.json",
              "instances": [4, 1],
              "rate": [250.5, 100],
              "perInstance": true,
              "policies": ["pick_first", "least_outstanding"],
              "profiles": [{ "name": "io", "description": "waits", "delay": "20ms", "capacity": 8, "queue": 0 }, { "name": "cpu", "cpu": "500us", "pin": true }],
              "warmup": "1s",
              "fleetWarmup": "0s",
              "duration": "2m",
              "basePort": 1024,
              "serverTls": { "certFile": "s.pem", "keyFile": "s.key", "clientCaFile": "ca.pem" },
            }
            """,
            "ok.json");

        Assert.Equal("full.sweep_1", spec.Name);
        Assert.Equal("all of it", spec.Description);
        Assert.Equal([4, 1], spec.Instances);
        Assert.Null(spec.Concurrency);
        Assert.Equal([250.5, 100], spec.Rate!);
        Assert.True(spec.PerInstance);
        Assert.Equal([BalancingPolicy.PickFirst, BalancingPolicy.LeastOutstanding], spec.Policies!);
        Assert.Equal(
            [
                new WorkProfile { Name = "io", Description = "waits", Delay = TimeSpan.FromMilliseconds(20), Capacity = 8, Queue = 0 },
                new WorkProfile { Name = "cpu", Cpu = TimeSpan.FromMicroseconds(500), Pin = true },
            ],
            spec.Profiles!);
        Assert.Equal(TimeSpan.FromSeconds(1), spec.Warmup);
        Assert.Equal(TimeSpan.Zero, spec.FleetWarmup);
        Assert.Equal(TimeSpan.FromMinutes(2), spec.Duration);
        Assert.Equal(1024, spec.BasePort);
        Assert.Equal(new ServerTlsSpec { CertFile = "s.pem", KeyFile = "s.key", ClientCaFile = "ca.pem" }, spec.ServerTls);
    }

    [Fact]
    public void The_bounds_themselves_are_allowed()
    {
        // 64 instances, port 65471 (its last instance on 65535) and a grid of exactly 500 cells.
        var spec = SweepLoader.Parse(Doc("\"basePort\": 65471", instances: Range(1, 50), load: "\"concurrency\": " + Range(1, 10)), "ok.json");
        Assert.Equal(500, spec.Instances.Count * spec.Concurrency!.Count);
        Assert.Equal(65471, spec.BasePort);

        Assert.Equal([64], SweepLoader.Parse(Doc(null, instances: "[64]"), "ok.json").Instances);
        Assert.Equal(0, SweepLoader.Parse(Doc("\"profiles\": [{\"name\": \"io\", \"capacity\": 0, \"queue\": 0}]"), "ok.json").Profiles![0].Capacity);
    }

    [Fact]
    public void The_schema_key_is_accepted_and_ignored()
    {
        var withSchema = SweepLoader.Parse(Doc("\"$schema\": \"./sweep.schema.json\""), "ok.json");

        Assert.Equal("s", withSchema.Name);
        Assert.Equal([1, 2], withSchema.Instances);
        // Any other '$' key is still unknown.
        Assert.Equal("$.$schemas", Assert.Throws<ScenarioException>(() => SweepLoader.Parse(Doc("\"$schemas\": \"x\""), "bad.json")).Path);
    }

    [Fact]
    public void Load_reads_the_scenario_relative_to_the_sweep_file()
    {
        var root = Directory.CreateTempSubdirectory("loadgen-sweep-");
        try
        {
            var sweeps = Directory.CreateDirectory(Path.Combine(root.FullName, "sweeps"));
            File.WriteAllText(Path.Combine(root.FullName, "base.json"), """
                {
                  "name": "base",
                  "target": { "address": "file:/nonexistent/servers.txt", "policy": "pick_first" },
                  "call": { "kind": "unary", "delay": "7ms" },
                  "phases": [{ "type": "constant-concurrency", "concurrency": 3, "duration": "1s" }],
                  "thresholds": ["p99 < 5ms"]
                }
                """);
            var sweepFile = Path.Combine(sweeps.FullName, "s.json");
            File.WriteAllText(sweepFile, """{"name": "s", "scenario": "../base.json", "instances": [2, 1], "concurrency": [4]}""");

            // "../base.json" means nothing relative to the working directory (the test output): only to the sweep's folder.
            var plan = SweepLoader.Load(sweepFile);

            Assert.Equal("base", plan.Scenario.Name);
            Assert.Equal(TimeSpan.FromMilliseconds(7), plan.Scenario.Call.Delay);
            // The scenario's own registry need not exist: every cell aims at the sweep's fleet.
            Assert.Equal("file:/nonexistent/servers.txt", plan.Scenario.Target.Address.Text);
            Assert.Equal([BalancingPolicy.PickFirst], plan.Policies);
            Assert.Equal([1, 2], plan.Cells.Select(c => c.Instances));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_missing_scenario_gives_the_scenario_loaders_no_such_file_error()
    {
        var root = Directory.CreateTempSubdirectory("loadgen-sweep-");
        try
        {
            var sweepFile = Path.Combine(root.FullName, "s.json");
            File.WriteAllText(sweepFile, """{"name": "s", "scenario": "missing.json", "instances": [1], "concurrency": [4]}""");

            var error = Assert.Throws<ScenarioException>(() => SweepLoader.Load(sweepFile));

            var expected = Path.Combine(root.FullName, "missing.json");
            Assert.Equal(expected, error.Origin);
            Assert.Null(error.Path);
            Assert.Equal($"{expected}: no such file — check the path (the ready scenarios are in scenarios/)", error.Message);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_bad_scenario_is_named_by_its_own_file()
    {
        var root = Directory.CreateTempSubdirectory("loadgen-sweep-");
        try
        {
            File.WriteAllText(Path.Combine(root.FullName, "base.json"), """{"name": "base", "phases": []}""");
            var sweepFile = Path.Combine(root.FullName, "s.json");
            File.WriteAllText(sweepFile, """{"name": "s", "scenario": "base.json", "instances": [1], "concurrency": [4]}""");

            var error = Assert.Throws<ScenarioException>(() => SweepLoader.Load(sweepFile));

            Assert.Equal(Path.Combine(root.FullName, "base.json"), error.Origin);
            Assert.Equal("$.phases", error.Path);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_missing_sweep_file_points_at_the_ready_sweeps()
    {
        var error = Assert.Throws<ScenarioException>(() => SweepLoader.Load("/nonexistent/sweep.json"));

        Assert.Equal("/nonexistent/sweep.json: no such file — check the path (the ready sweeps are in scenarios/sweeps/)", error.Message);
    }

    /// <summary>The sweep files of scenarios/sweeps, without the schema beside them.</summary>
    public static TheoryData<string> ReadySweeps =>
    [
        .. Directory.GetFiles(ReadySweepsFolder(), "*.json")
            .Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal),
    ];

    [Theory]
    [MemberData(nameof(ReadySweeps))]
    public void A_ready_sweep_loads_and_is_named_after_its_file(string file)
    {
        var plan = SweepLoader.Load(Path.Combine(ReadySweepsFolder(), file));

        Assert.Equal(Path.GetFileNameWithoutExtension(file), plan.Spec.Name);
        Assert.False(string.IsNullOrWhiteSpace(plan.Spec.Description));
        Assert.NotEmpty(plan.Cells);
        Assert.InRange(plan.Cells.Count, 1, SweepValidator.MaxCells);
    }

    [Fact]
    public void The_demo_sweep_is_the_io_against_cpu_study()
    {
        var plan = SweepLoader.Load(Path.Combine(ReadySweepsFolder(), "demo.json"));

        Assert.Equal("unary-closed", plan.Scenario.Name);
        Assert.Equal(["io-bound", "cpu-bound"], plan.Profiles.Select(p => p.Name));
        Assert.Equal(new WorkProfile { Name = "io-bound", Description = plan.Profiles[0].Description, Delay = TimeSpan.FromMilliseconds(20), Capacity = 8, Queue = 128 }, plan.Profiles[0]);
        Assert.Equal(new WorkProfile { Name = "cpu-bound", Description = plan.Profiles[1].Description, Cpu = TimeSpan.FromMilliseconds(2), Pin = true }, plan.Profiles[1]);
        Assert.True(plan.Spec.PerInstance);
        Assert.Equal(2 * 3 * 5, plan.Cells.Count);
        // 16 callers per instance on 4 instances.
        Assert.Equal(64, plan.Cells.Max(c => c.Load));
    }

    private static string ReadySweepsFolder() => Path.Combine(RepositoryFolder.Root, "scenarios", "sweeps");

    private static string Named(string name) => $"{{\"name\": \"{name}\", {Scenario}, \"instances\": [1], \"concurrency\": [8]}}";

    /// <summary>A sweep with the given instances and load, and the given extra members.</summary>
    private static string Doc(string? members, string instances = "[1, 2]", string? load = "\"concurrency\": [8, 16]") =>
        "{\"name\": \"s\", " + Scenario + ", \"instances\": " + instances
        + (load is null ? "" : ", " + load)
        + (members is null ? "" : ", " + members) + "}";

    private static string Range(int from, int count) => "[" + string.Join(", ", Enumerable.Range(from, count)) + "]";
}

using System.Globalization;
using System.Text.Json;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Sweeps;

/// <summary>
/// The checks a well-formed sweep must pass before its first fleet starts; the first failure is thrown as a
/// <see cref="ScenarioException"/> naming the JSON path of the bad value.
/// </summary>
internal sealed class SweepValidator(string source) : PathValidator(source)
{
    /// <summary>A bound on the grid, so that a typo (a level list of 1,000) cannot book the machine for days.</summary>
    public const int MaxCells = 500;

    public static void Validate(SweepSpec spec, string source) => new SweepValidator(source).Check(spec);

    /// <summary>
    /// The fleet's TLS and the scenario's target agree: a TLS target needs servers that speak it and a CA that
    /// readiness can check them against; servers that speak TLS need a TLS target; servers that ask for a client
    /// certificate need one to be given. <paramref name="spec"/>'s paths are full.
    /// </summary>
    public static void ValidateTls(SweepSpec spec, Scenario scenario, string source) => new SweepValidator(source).CheckTls(spec, scenario);

    private void Check(SweepSpec spec)
    {
        Expect("$", nameof(SweepSpec.Name), ScenarioRules.Name(spec.Name));
        Expect("$", nameof(SweepSpec.Scenario), ScenarioRules.NotEmpty(spec.Scenario, "../unary-closed.json"));
        CheckList("$.instances", spec.Instances, "[1, 2, 4]", n => Limits.Instances.Problem(n));
        CheckLoad(spec);
        if (spec.Policies is { } policies)
        {
            CheckList("$.policies", policies, "[\"round_robin\", \"pick_first\"]", _ => null, Spellings.Policy.Name);
        }

        if (spec.Profiles is { } profiles)
        {
            CheckProfiles(profiles);
        }

        Expect("$", nameof(SweepSpec.Warmup), ScenarioRules.Duration(spec.Warmup));
        Expect("$", nameof(SweepSpec.FleetWarmup), Limits.NotNegative(spec.FleetWarmup, Limits.LongestDuration));
        Expect("$", nameof(SweepSpec.Duration), ScenarioRules.Duration(spec.Duration));
        Expect("$", nameof(SweepSpec.BasePort), Limits.BasePort.Problem(spec.BasePort));

        var cells = spec.Instances.Count * (spec.Concurrency?.Count ?? spec.Rate!.Count) * (spec.Policies?.Count ?? 1) * (spec.Profiles?.Count ?? 1);
        if (cells > MaxCells)
        {
            Fail("$", string.Create(CultureInfo.InvariantCulture, $"makes {cells} cells, more than {MaxCells} — vary fewer values, or split it into several sweeps"));
        }
    }

    private void CheckTls(SweepSpec spec, Scenario scenario)
    {
        const string ServerTlsExample = "\"serverTls\": {\"certFile\": \"server.pem\", \"keyFile\": \"server.key\"}";
        var client = scenario.Target.Tls;
        var labProfile = spec.Profiles?.FirstOrDefault(p => p.Command is null)?.Name ?? (spec.Profiles is null ? scenario.Name : null);
        var commandProfile = spec.Profiles?.FirstOrDefault(p => p.Command is not null)?.Name;
        if (spec.ServerTls is { } server)
        {
            if (commandProfile is not null)
            {
                Fail("$.serverTls", $"is the lab's server's TLS, and profile '{commandProfile}' runs its own command: give that server's TLS options in its command, and leave serverTls out");
            }

            if (client is null)
            {
                Fail("$.serverTls", $"makes the servers speak TLS, but the scenario {spec.Scenario} calls them in plaintext: give it \"target\": {{\"tls\": {{\"caFile\": \"ca.pem\"}}}}");
            }

            if (server.ClientCaFile is not null && client.CertFile is null)
            {
                Fail("$.serverTls.clientCaFile", $"makes the servers require a client certificate: give the scenario {spec.Scenario} a target.tls certFile and keyFile");
            }

            foreach (var (member, file) in new[] { (nameof(server.CertFile), server.CertFile), (nameof(server.KeyFile), server.KeyFile), (nameof(server.ClientCaFile), server.ClientCaFile) })
            {
                Expect("$.serverTls", member, file is null || File.Exists(file) ? null : $"names {file}, which does not exist — relative paths are from the sweep file's folder");
            }
        }
        else if (client is not null && labProfile is not null)
        {
            Fail("$.serverTls", $"is missing: the scenario {spec.Scenario} calls the servers over TLS, and the lab's server (profile '{labProfile}') serves plaintext unless given {ServerTlsExample}");
        }

        if (client is not null && client.CaFile is null)
        {
            Fail("$.scenario", $"{spec.Scenario} has a TLS target without a caFile: the sweep checks that each fleet is ready against that CA (the system's roots or insecureSkipVerify cannot vouch for servers on 127.0.0.1) — give target.tls.caFile");
        }

        try
        {
            // Its files read once here, so that a missing CA stops the sweep before a fleet starts, not at its first cell.
            client?.Load();
        }
        catch (Balancer.BalancerConfigurationException e)
        {
            Fail("$.scenario", $"{spec.Scenario}: {e.Message}");
        }
    }

    private void CheckLoad(SweepSpec spec)
    {
        switch (spec.Concurrency, spec.Rate)
        {
            case (null, null):
                Fail("$", "names no load — add \"concurrency\": [8, 16, 32] (closed model) or \"rate\": [100, 200] (open model)");
                break;
            case (not null, not null):
                Fail("$.rate", "cannot be given with \"concurrency\" — a sweep varies one load model; split it into two sweeps");
                break;
            case (not null, null):
                CheckList("$.concurrency", spec.Concurrency, "[8, 16, 32]", ScenarioRules.Concurrency);
                break;
            default:
                CheckList("$.rate", spec.Rate!, "[100, 200, 400]", ScenarioRules.Rate);
                break;
        }
    }

    private void CheckProfiles(IReadOnlyList<WorkProfile> profiles)
    {
        const string Example = "{\"name\": \"io-bound\", \"delay\": \"20ms\", \"capacity\": 8}";
        if (profiles.Count == 0)
        {
            Fail("$.profiles", $"is empty — leave it out for the scenario's own work, or give profiles such as [{Example}]");
        }

        for (var i = 0; i < profiles.Count; i++)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"$.profiles[{i}]");
            // JSON null is a valid list element to the serializer, whatever the model's annotations say.
            var profile = profiles[i];
            if (profile is null)
            {
                Fail(path, $"must be a profile such as {Example}");
            }

            Expect(path, nameof(WorkProfile.Name), ScenarioRules.Name(profile.Name));
            if (profiles.Take(i).Any(p => p.Name == profile.Name))
            {
                Fail(At(path, nameof(WorkProfile.Name)), $"repeats '{profile.Name}' — give each profile its own name");
            }

            CheckProfile(path, profile);
        }
    }

    private void CheckProfile(string path, WorkProfile profile)
    {
        Expect(path, nameof(WorkProfile.Delay), ScenarioRules.Work(profile.Delay));
        Expect(path, nameof(WorkProfile.Cpu), ScenarioRules.Work(profile.Cpu));
        Expect(path, nameof(WorkProfile.Capacity), Limits.Capacity.Problem(profile.Capacity));
        if (profile.Queue is { } queue)
        {
            Expect(path, nameof(WorkProfile.Queue), Limits.Queue.Problem(queue));
        }

        if (profile.Command is { } command)
        {
            Expect(path, nameof(WorkProfile.Command), command.Contains("{port}", StringComparison.Ordinal) ? null : "must say where each instance's port goes with {port}, e.g. \"python3 server.py --port {port}\"");
            // The calls' work (delay, cpu) is asked in the requests, which any lab server started by a command reads too.
            foreach (var (key, given) in new (string, bool)[] { (nameof(WorkProfile.Capacity), profile.Capacity != 0), (nameof(WorkProfile.Queue), profile.Queue is not null) })
            {
                Expect(path, key, given ? "is an option of the lab's server; with \"command\", give your server's own options in its command" : null);
            }
        }
    }

    /// <param name="show">How a repeated value is written in the message: as the file spells it.</param>
    private void CheckList<T>(string path, IReadOnlyList<T> values, string example, Func<T, string?> rule, Func<T, string>? show = null)
    {
        if (values.Count == 0)
        {
            Fail(path, $"is empty — give at least one value, e.g. {example}");
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (rule(values[i]) is { } problem)
            {
                Fail(string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), problem);
            }

            if (values.Take(i).Contains(values[i]))
            {
                Fail(string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), $"repeats {(show is null ? values[i]?.ToString() : show(values[i]))} — give each value once");
            }
        }
    }
}

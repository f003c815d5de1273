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

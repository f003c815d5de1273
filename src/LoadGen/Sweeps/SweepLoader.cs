using System.Text.Json;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Sweeps;

/// <summary>
/// Reads a sweep file and the scenario it names into a <see cref="SweepPlan"/>. Anything wrong is thrown as a
/// <see cref="ScenarioException"/>: one line naming the file, the JSON path, what is wrong and how to fix it.
/// </summary>
public static class SweepLoader
{
    private const string Example = "{\"name\": \"x\", \"scenario\": \"../unary-closed.json\", \"instances\": [1, 2], \"concurrency\": [8, 16]}";

    public static SweepPlan Load(string path)
    {
        var spec = Parse(ScenarioLoader.ReadFile(path, "the ready sweeps are in scenarios/sweeps/"), path);
        // The scenario is named relative to the sweep file, so that a sweep and its scenario move together.
        var scenarioPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, spec.Scenario);
        // The sweep aims every cell at its own fleet, so the scenario's registry need not exist.
        var plan = new SweepPlan(spec, ScenarioLoader.Load(scenarioPath));
        // Each cell's scenario must hold too (a name that grew too long, a load that overflowed): refused before any fleet starts.
        foreach (var cell in plan.Cells)
        {
            var scenario = plan.ScenarioFor(cell, "servers.txt", "reports", freshFleet: true);
            ScenarioValidator.Validate(scenario, $"{path} (run {scenario.Name})");
        }

        return plan;
    }

    /// <param name="source">Names the sweep in messages, usually its file.</param>
    public static SweepSpec Parse(string json, string source)
    {
        using var document = ScenarioLoader.ReadDocument(json, source, Example);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ScenarioException(source, "$", $"must be an object holding the sweep, e.g. {Example}");
        }

        var spec = ScenarioLoader.Deserialize<SweepSpec>(root, source);
        SweepValidator.Validate(spec, source);
        return spec;
    }
}

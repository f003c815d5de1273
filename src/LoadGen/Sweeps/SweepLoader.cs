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
        // The scenario and the servers' certificates are named relative to the sweep file, so that they move together.
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var scenario = ScenarioLoader.Load(Path.Combine(folder, spec.Scenario));
        if (spec.ServerTls is { } server)
        {
            spec = spec with
            {
                ServerTls = server with
                {
                    CertFile = Path.Combine(folder, server.CertFile),
                    KeyFile = Path.Combine(folder, server.KeyFile),
                    ClientCaFile = server.ClientCaFile is null ? null : Path.Combine(folder, server.ClientCaFile),
                },
            };
        }

        SweepValidator.ValidateTls(spec, scenario, path);
        // The sweep aims every cell at its own fleet, so the scenario's registry need not exist.
        var plan = new SweepPlan(spec, scenario);
        // Each cell's scenario must hold too (a name that grew too long, a load that overflowed): refused before any fleet starts.
        foreach (var cell in plan.Cells)
        {
            var cellScenario = plan.ScenarioFor(cell, "servers.txt", "reports", freshFleet: true);
            ScenarioValidator.Validate(cellScenario, $"{path} (run {cellScenario.Name})");
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

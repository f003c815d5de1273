using System.Text.Json;
using System.Text.Json.Nodes;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Reports.Figures;

/// <summary>
/// What differs between runs' set-ups: each run's scenario and environment flattened to <c>key → value</c>
/// (<c>scenario.call.delay → "1ms"</c>, <c>environment.processorCount → 2</c>), and the keys whose values differ.
/// </summary>
internal static class ConfigDiff
{
    public static IReadOnlyDictionary<string, string> Flatten(RunResult run)
    {
        var flat = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Add(flat, "scenario", ScenarioView.Of(run.Scenario));
        Add(flat, "environment", JsonSerializer.SerializeToNode(run.Environment, ResultJson.Options));
        return flat;
    }

    /// <summary>Keys whose value is not the same in every run, with each run's value ("" where a run lacks the key).</summary>
    public static IReadOnlyList<(string Key, IReadOnlyList<string> Values)> Differences(IReadOnlyList<RunResult> runs)
    {
        var flats = runs.Select(Flatten).ToList();
        return [.. flats.SelectMany(f => f.Keys).Distinct().Order(StringComparer.Ordinal)
            .Select(key => (key, (IReadOnlyList<string>)[.. flats.Select(f => f.GetValueOrDefault(key, ""))]))
            .Where(row => row.Item2.Distinct().Count() > 1)];
    }

    private static void Add(SortedDictionary<string, string> flat, string prefix, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    Add(flat, $"{prefix}.{key}", value);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Add(flat, $"{prefix}[{i}]", array[i]);
                }

                break;
            default:
                // Strings as they read, not JSON-quoted; numbers, booleans and null as JSON writes them.
                flat[prefix] = node is JsonValue leaf && leaf.TryGetValue<string>(out var text) ? text : node?.ToJsonString() ?? "null";
                break;
        }
    }
}

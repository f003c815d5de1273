using System.Text.Json;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>Reads and writes a sweep's <c>sweep.json</c>, in the scenario's JSON form (durations as <c>"10s"</c>).</summary>
public static class SweepJson
{
    public const string FileName = "sweep.json";

    /// <summary>Writes (or rewrites) <c>sweep.json</c> in <paramref name="folder"/>; a reader never sees half a file.</summary>
    public static string Write(SweepResult result, string folder)
    {
        var path = Path.Combine(folder, FileName);
        WholeFile.WriteJson(path, result, ScenarioJson.Options);
        return path;
    }

    /// <summary>The sweep in <paramref name="path"/>.</summary>
    /// <exception cref="JsonException">Any damage, in one line naming the file and what is wrong (as for <c>result.json</c>).</exception>
    public static SweepResult Read(string path)
    {
        var sweep = DamagedFile.Read(path, SweepResult.SchemaName, SweepResult.CurrentVersion, "sweep", json => json.Deserialize<SweepResult>(ScenarioJson.Options));
        for (var i = 0; i < sweep.Cells.Count; i++)
        {
            if (sweep.Cells[i] is null)
            {
                throw new JsonException($"{path} is damaged: cells[{i}] is null");
            }
        }

        return sweep;
    }
}

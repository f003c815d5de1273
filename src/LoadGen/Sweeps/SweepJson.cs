using System.Text.Json;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Sweeps;

/// <summary>Reads and writes a sweep's <c>sweep.json</c>, in the scenario's JSON form (durations as <c>"10s"</c>).</summary>
public static class SweepJson
{
    public const string FileName = "sweep.json";

    /// <summary>Writes (or rewrites) <c>sweep.json</c> in <paramref name="folder"/>; a reader never sees half a file.</summary>
    public static string Write(SweepResult result, string folder)
    {
        var path = Path.Combine(folder, FileName);
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        {
            JsonSerializer.Serialize(stream, result, ScenarioJson.Options);
        }

        File.Move(temporary, path, overwrite: true);
        return path;
    }

    public static SweepResult Read(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<SweepResult>(stream, ScenarioJson.Options)
            ?? throw new JsonException($"{path} holds no sweep");
    }
}

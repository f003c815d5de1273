using System.Text.Json;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// Reads and writes <c>result.json</c>. The scenario inside keeps its file form (durations as <c>"10s"</c>), so a
/// result can be read back, and its run repeated, with the scenario loader's own rules.
/// </summary>
public static class ResultJson
{
    public const string FileName = "result.json";

    public static JsonSerializerOptions Options { get; } = new(ScenarioJson.Options);

    /// <summary>Writes the result into a new folder <c>DIRECTORY/yyyyMMdd-HHmmss-NAME</c>; returns the file's path.</summary>
    public static string WriteNew(RunResult result, string directory)
    {
        var folder = Path.Combine(directory, $"{result.StartedAt.ToLocalTime():yyyyMMdd-HHmmss}-{result.Name}");
        for (var suffix = 2; Directory.Exists(folder); suffix++)
        {
            folder = Path.Combine(directory, $"{result.StartedAt.ToLocalTime():yyyyMMdd-HHmmss}-{result.Name}-{suffix}");
        }

        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        {
            JsonSerializer.Serialize(stream, result, Options);
        }

        File.Move(temporary, path);
        return path;
    }

    public static RunResult Read(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<RunResult>(stream, Options)
            ?? throw new JsonException($"{path} holds no result");
    }
}

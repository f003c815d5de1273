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

    /// <summary>Writes the result into a new folder (<see cref="OutputFolder.CreateNew"/>); returns the file's path.</summary>
    public static string WriteNew(RunResult result, string directory)
    {
        var path = Path.Combine(OutputFolder.CreateNew(directory, result.StartedAt, result.Name), FileName);
        WholeFile.WriteJson(path, result, Options);
        return path;
    }

    /// <summary>The result in <paramref name="path"/>, checked whole.</summary>
    /// <exception cref="JsonException">
    /// Anything that makes the file unusable, in one line that names the file and what is wrong with it: unreadable,
    /// not JSON, another schema or a newer version, a missing or null field, a histogram that does not decode. Every
    /// reader (index, report, compare, study) treats a damaged file one way, whatever the damage.
    /// </exception>
    public static RunResult Read(string path)
    {
        var result = DamagedFile.Read(path, RunResult.SchemaName, RunResult.CurrentVersion, "result", json => json.Deserialize<RunResult>(Options));
        try
        {
            ResultChecks.Check(result);
        }
        catch (FormatException e)
        {
            throw new JsonException($"{path} is damaged: {e.Message}");
        }

        return result;
    }
}

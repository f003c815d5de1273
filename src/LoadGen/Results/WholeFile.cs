using System.Text.Json;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// Writes the lab's JSON files so that a reader never meets half of one (a page rebuilt while a sweep still runs, an
/// index written beside a run that is ending): into a temporary file beside it, then moved over it in one step.
/// </summary>
internal static class WholeFile
{
    public static void WriteJson<T>(string path, T value, JsonSerializerOptions options)
    {
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        {
            JsonSerializer.Serialize(stream, value, options);
        }

        File.Move(temporary, path, overwrite: true);
    }
}

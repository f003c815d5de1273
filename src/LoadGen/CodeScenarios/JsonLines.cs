using System.Text.Json;

namespace GrpcLoadLab.LoadGen.CodeScenarios;

/// <summary>A feeder's items from a JSON-lines file: one JSON value a line, blank lines skipped.</summary>
public static class JsonLines
{
    /// <summary>Each line of <paramref name="path"/> read as a <typeparamref name="T"/>.</summary>
    /// <param name="options">Default: the web's (camelCase names, read in any case).</param>
    /// <exception cref="FeederFileException">The file cannot be read, holds no item, or a line is not a <typeparamref name="T"/>: its number and why.</exception>
    public static IReadOnlyList<T> Read<T>(string path, JsonSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FeederFileException($"feeder file '{path}' cannot be read ({e.Message.TrimEnd('.')})");
        }

        var items = new List<T>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            T? item;
            try
            {
                item = JsonSerializer.Deserialize<T>(lines[i], options ?? JsonSerializerOptions.Web);
            }
            catch (JsonException e)
            {
                throw new FeederFileException($"{path}:{i + 1}: not a {typeof(T).Name} in JSON ({e.Message.TrimEnd('.')}) — write one JSON value a line");
            }

            items.Add(item ?? throw new FeederFileException($"{path}:{i + 1}: null is not a {typeof(T).Name} — write one JSON value a line"));
        }

        return items.Count > 0 ? items : throw new FeederFileException($"feeder file '{path}' holds no item — write one JSON value a line");
    }
}

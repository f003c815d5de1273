using System.Text.Json;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// Reads one of the lab's versioned JSON files (<c>result.json</c>, <c>sweep.json</c>) so that any damage ends as a
/// <see cref="JsonException"/> whose message is one line naming the file and what is wrong with it.
/// </summary>
public static class DamagedFile
{
    /// <summary>Larger than any result the lab writes by far; a bigger file is not one of ours and is not read whole.</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    /// <param name="what">The file's kind in words ("result", "sweep").</param>
    /// <param name="deserialize">Reads the document once its schema and version are known to be this loadgen's.</param>
    public static T Read<T>(string path, string schema, int currentVersion, string what, Func<JsonDocument, T?> deserialize)
        where T : class
    {
        using var document = Parse(path);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException(document.RootElement.ValueKind == JsonValueKind.Null
                ? $"{path} holds no {what}"
                : $"{path} holds no {what}: its JSON is {Describe(document.RootElement.ValueKind)}, not an object");
        }

        CheckVersion(path, document.RootElement, schema, currentVersion, what);
        try
        {
            return deserialize(document) ?? throw new JsonException($"{path} holds no {what}");
        }
        catch (JsonException e)
        {
            throw new JsonException($"{path} is damaged: {OneLine(e.Message)}");
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // A converter's own complaint about a value (a duration, a spelling) that the file should not hold.
            throw new JsonException($"{path} is damaged: {OneLine(e.Message)}");
        }
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            var file = new FileInfo(path);
            if (Directory.Exists(path))
            {
                throw new JsonException($"{path} is a folder, not a file");
            }

            if (file.Exists && file.Length == 0)
            {
                throw new JsonException($"{path} is empty");
            }

            if (file.Exists && file.Length > MaxBytes)
            {
                throw new JsonException($"{path} is {file.Length:#,0} bytes: too large to be the lab's file (at most {MaxBytes:#,0})");
            }

            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = ScenarioLoader.DocumentDepth });
        }
        catch (JsonException e) when (e.Path is not null || e.LineNumber is not null)
        {
            throw new JsonException(e.LineNumber is { } line
                ? $"{path} is not valid JSON (line {line + 1}, byte {e.BytePositionInLine + 1}): truncated or not the lab's file"
                : $"{path} is not valid JSON: truncated or not the lab's file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JsonException($"{path} cannot be read: {OneLine(e.Message)}");
        }
    }

    private static void CheckVersion(string path, JsonElement root, string schema, int currentVersion, string what)
    {
        var found = root.TryGetProperty("schema", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        if (found != schema)
        {
            throw new JsonException(found is null
                ? $"{path} holds no {what}: it has no \"schema\": \"{schema}\""
                : $"{path} holds no {what}: its schema is \"{OneLine(found)}\", not \"{schema}\"");
        }

        if (!root.TryGetProperty("version", out var v) || !v.TryGetInt32(out var version) || version < 1)
        {
            throw new JsonException($"{path} is damaged: its \"version\" is not a whole number from 1");
        }

        if (version > currentVersion)
        {
            throw new JsonException($"{path} was written by a newer loadgen ({what} version {version}; this one reads up to {currentVersion}): read it with that loadgen");
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => "a " + kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Exception messages may span lines (a converter's, the file system's); the user gets one.</summary>
    public static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}

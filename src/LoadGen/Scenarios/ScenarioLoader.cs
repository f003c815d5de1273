using System.Globalization;
using System.Text.Json;
using GrpcLoadLab.LoadGen.Scenarios.Json;

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// Reads a scenario file into a validated <see cref="Scenario"/>. Anything wrong is thrown as a
/// <see cref="ScenarioException"/>: one line naming the file, the JSON path, what is wrong and how to fix it.
/// </summary>
public static class ScenarioLoader
{
    private const string PhaseExample = "{\"type\": \"constant-rate\", \"rate\": 100, \"duration\": \"10s\"}";
    private const string FaultExample = "{\"at\": \"10s\", \"action\": \"kill\", \"instance\": 2}";

    /// <summary>
    /// How deep a request's JSON may nest: deep enough for protobuf's own limit of 100 nested messages, each of which
    /// may take two JSON levels (an object in a list); System.Text.Json's default of 64 refused a request of 32.
    /// </summary>
    public const int RequestDepth = 256;

    /// <summary>How deep a scenario file, or a result that holds its scenario, may nest: a request under their own few levels.</summary>
    public const int DocumentDepth = RequestDepth + 8;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = DocumentDepth,
    };

    /// <remarks>
    /// A <c>file:</c> target's registry is not read: the run opens the target (see <see cref="TargetAddress"/>). The
    /// file's own inputs are named from its folder (see <see cref="ScenarioPaths"/>).
    /// </remarks>
    public static Scenario Load(string path) =>
        ScenarioPaths.FromFolder(Parse(ReadFile(path, "the ready scenarios are in scenarios/"), path), Path.GetDirectoryName(Path.GetFullPath(path))!);

    /// <summary>The text of an experiment file (a scenario or a sweep); a missing or unreadable file is a <see cref="ScenarioException"/>.</summary>
    internal static string ReadFile(string path, string whereReadyOnesAre)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ScenarioException(path, null, $"no such file — check the path ({whereReadyOnesAre})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException(path, null, $"cannot be read: {e.Message}");
        }
    }

    /// <param name="source">Names the scenario in messages, usually its file.</param>
    public static Scenario Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = ReadDocument(json, source);
        var root = document.RootElement;
        CheckShape(root, source);

        var scenario = Deserialize<Scenario>(root, source);
        ScenarioValidator.Validate(scenario, source);
        return scenario;
    }

    /// <summary>Reads an experiment file's model; what the serializer refuses is explained in one line at its JSON path.</summary>
    internal static T Deserialize<T>(JsonElement root, string source)
    {
        try
        {
            return root.Deserialize<T>(ScenarioJson.Options)!;
        }
        catch (JsonException e)
        {
            var (path, problem) = JsonErrorExplainer.Explain(e, root, ScenarioJson.Options, typeof(T));
            throw new ScenarioException(source, path, problem);
        }
    }

    private static JsonDocument ReadDocument(string json, string source) =>
        ReadDocument(json, source, "{\"name\": \"x\", \"phases\": [...]}");

    /// <summary>Parses an experiment file's JSON; <paramref name="example"/> shows, in the message for an empty file, what to write.</summary>
    internal static JsonDocument ReadDocument(string json, string source, string example)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new ScenarioException(source, null, $"is empty — write one such as {example}");
        }

        try
        {
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            // The reader's reason is good; its position is 0-based and repeated in the message, so give it once, 1-based.
            var reason = e.Message;
            var position = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            reason = position > 0 ? reason[..position] : reason;
            var line = string.Create(CultureInfo.InvariantCulture, $"line {e.LineNumber + 1}, column {e.BytePositionInLine + 1}");
            throw new ScenarioException(source, null, $"{line}: not valid JSON: {reason.TrimEnd('.')} — fix the syntax there");
        }
    }

    // What the serializer reports poorly: a root that is not an object, and a phase or fault whose type (action) is
    // missing or unknown (System.Text.Json gives no path for the first and no list of types for the second).
    private static void CheckShape(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ScenarioException(source, "$", "must be an object holding the scenario, e.g. {\"name\": \"x\", \"phases\": [...]}");
        }

        CheckKinds(root, source, "phases", "type", "a phase type", ScenarioJson.PhaseTypes, PhaseExample);
        CheckKinds(root, source, "faults", "action", "a fault action", ScenarioJson.FaultActions, FaultExample);
    }

    /// <summary>Each item of the list <paramref name="key"/> is an object whose <paramref name="discriminator"/> is one of <paramref name="kinds"/>.</summary>
    private static void CheckKinds(JsonElement root, string source, string key, string discriminator, string kindName, IReadOnlyList<string> kinds, string example)
    {
        if (!root.TryGetProperty(key, out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var choices = string.Join(", ", kinds);
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"$.{key}[{index++}]");
            if (item.ValueKind != JsonValueKind.Object)
            {
                var article = "aeiou".Contains(discriminator[0], StringComparison.Ordinal) ? "an" : "a";
                throw new ScenarioException(source, path, $"must be an object with {article} {discriminator}, e.g. {example}");
            }

            if (!item.TryGetProperty(discriminator, out var kind))
            {
                throw new ScenarioException(source, path, $"has no {discriminator} — add \"{discriminator}\": one of {choices}");
            }

            if (kind.ValueKind != JsonValueKind.String || !kinds.Contains(kind.GetString()))
            {
                throw new ScenarioException(source, $"{path}.{discriminator}", $"{kind.GetRawText()} is not {kindName} — use one of {choices}");
            }
        }
    }
}

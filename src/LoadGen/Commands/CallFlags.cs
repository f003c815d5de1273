using System.CommandLine;
using System.Text.Json;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Commands;

/// <summary>
/// <c>loadgen run</c>'s flags for a call of any service (ghz-style): <c>--method</c>, <c>--proto</c>,
/// <c>--import-path</c>, <c>--descriptor-set</c>, <c>--data</c> or <c>--data-file</c>, <c>--metadata</c>, <c>--expect</c>. They set the scenario's call; with no
/// scenario file they make the whole scenario, a quick run.
/// </summary>
internal sealed class CallFlags
{
    /// <summary>A quick run's callers and length, unless --concurrency, --rate or --duration say otherwise.</summary>
    private const int QuickConcurrency = 10;

    private static readonly TimeSpan QuickDuration = TimeSpan.FromSeconds(10);

    public Option<string?> Method { get; } = new("--method") { Description = "Any service's method, package.Service/Method, called by its schema (reflection unless --proto or --descriptor-set)." };

    public Option<string[]> Protos { get; } = new("--proto") { Description = "The method's schema from a .proto file (repeatable)." };

    public Option<string[]> ImportPaths { get; } = new("--import-path") { Description = "A folder where the .proto files' imports are looked for (repeatable)." };

    public Option<string?> DescriptorSet { get; } = new("--descriptor-set") { Description = "The method's schema from a descriptor set (protoc --include_imports -o FILE)." };

    public Option<string?> Data { get; } = new("--data") { Description = "The request, as JSON (the proto3 JSON mapping); template parts such as {{call}} rendered per call. Default: {}." };

    public Option<string?> DataFile { get; } = new("--data-file") { Description = "A JSON-lines file of requests, one a line, sent in order." };

    public Option<string[]> Metadata { get; } = new("--metadata") { Description = "KEY=VALUE sent as metadata with every call (repeatable)." };

    public Option<string[]> Expect { get; } = new("--expect") { Description = "PATH=VALUE: every reply holds VALUE (JSON, else a string) at PATH (e.g. $.name=x), else the call fails as CHECK_FAILED (repeatable)." };

    public IEnumerable<Option> All => [Method, Protos, ImportPaths, DescriptorSet, Data, DataFile, Metadata, Expect];

    /// <summary>The call with the flags given applied; a flag that names no method's call is refused.</summary>
    /// <exception cref="ScenarioException">A bad value, or a schema flag without a method, naming the flag.</exception>
    public CallSpec ApplyTo(CallSpec call, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(parse);
        var method = parse.GetValue(Method) ?? call.Method;
        if (method is null && All.Skip(1).FirstOrDefault(option => parse.GetResult(option) is { Implicit: false }) is { } orphan)
        {
            throw new ScenarioException(orphan.Name, null, "belongs to a call of any service: give --method package.Service/Method too");
        }

        var protos = parse.GetValue(Protos) ?? [];
        var importPaths = parse.GetValue(ImportPaths) ?? [];
        return call with
        {
            Method = method,
            Protos = protos.Length > 0 ? protos : call.Protos,
            ImportPaths = importPaths.Length > 0 ? importPaths : call.ImportPaths,
            DescriptorSet = parse.GetValue(DescriptorSet) ?? call.DescriptorSet,
            Request = parse.GetValue(Data) is { } data ? ParseData(data) : parse.GetValue(DataFile) is null ? call.Request : null,
            Requests = parse.GetValue(DataFile) ?? (parse.GetValue(Data) is null ? call.Requests : null),
            Metadata = ParseMetadata(parse.GetValue(Metadata) ?? [], call.Metadata),
            Expect = [.. call.Expect, .. (parse.GetValue(Expect) ?? []).Select(ParseCheck)],
        };
    }

    /// <summary>The scenario of a run with no file: the call of the flags, closed-model (or open with --rate).</summary>
    public static Scenario QuickScenario(CallSpec call, bool openModel) => new()
    {
        Name = call.Method is { } method ? method[(method.LastIndexOf('/') + 1)..] : "quick",
        Call = call,
        Phases = openModel
            ? [new ConstantRatePhase(QuickConcurrency * 10, QuickDuration)]
            : [new ConstantConcurrencyPhase(QuickConcurrency, QuickDuration)],
    };

    private static JsonElement ParseData(string data)
    {
        try
        {
            using var document = JsonDocument.Parse(data, new JsonDocumentOptions { MaxDepth = ScenarioLoader.RequestDepth });
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ScenarioException("--data", null, $"is not JSON ({e.Message})");
        }
    }

    /// <summary>PATH=VALUE, the value as JSON when it is JSON (<c>5</c>, <c>true</c>, <c>"x"</c>), else as a string.</summary>
    private static ReplyCheck ParseCheck(string pair)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ScenarioException("--expect", null, $"'{pair}' is not PATH=VALUE, e.g. $.name=x");
        }

        var value = pair[(equals + 1)..];
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(value);
        }
        catch (JsonException)
        {
            document = JsonDocument.Parse($"\"{JsonEncodedText.Encode(value)}\"");
        }

        using (document)
        {
            return new ReplyCheck { Path = pair[..equals], Value = document.RootElement.Clone() };
        }
    }

    private static Dictionary<string, string> ParseMetadata(string[] pairs, IReadOnlyDictionary<string, string> scenario)
    {
        var metadata = new Dictionary<string, string>(scenario, StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ScenarioException("--metadata", null, $"'{pair}' is not KEY=VALUE");
            }

            metadata[pair[..equals]] = pair[(equals + 1)..];
        }

        return metadata;
    }
}

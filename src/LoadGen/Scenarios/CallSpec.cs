using System.Text.Json;

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// What every call of the run does: by default a call of the lab's own service, whose server simulates the work the
/// requests ask for; with <see cref="Method"/>, a method of any service, its requests given as JSON.
/// </summary>
public sealed record CallSpec
{
    public CallKind Kind { get; init; } = CallKind.Unary;

    /// <summary>Payload bytes in each request message. Default: 0.</summary>
    public int RequestSize { get; init; }

    /// <summary>Payload bytes in each reply message. Default: 0.</summary>
    public int ReplySize { get; init; }

    /// <summary>Server stream: replies the server sends. Default: 10.</summary>
    public int Replies { get; init; } = 10;

    /// <summary>Client stream and bidi: messages the client sends. Default: 10.</summary>
    public int Messages { get; init; } = 10;

    /// <summary>Client stream and bidi: pause between two sends (bidi: after each echo). Default: none.</summary>
    public TimeSpan MessageInterval { get; init; }

    /// <summary>Awaited delay per reply (I/O-bound work). Default: none.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>CPU spin per reply (CPU-bound work). Default: none.</summary>
    public TimeSpan Cpu { get; init; }

    /// <summary>Deadline of each call, from its actual start. Default: 10 s.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Any service's method, <c>package.Service/Method</c>, called by its schema; null: the lab's own service.</summary>
    public string? Method { get; init; }

    /// <summary>The method's schema from .proto files; with neither these nor a descriptor set, from server reflection.</summary>
    public IReadOnlyList<string> Protos { get; init; } = [];

    /// <summary>Where the .proto files' imports are looked for (each file's own folder also is).</summary>
    public IReadOnlyList<string> ImportPaths { get; init; } = [];

    /// <summary>The method's schema from a descriptor set (<c>protoc --include_imports -o FILE</c>).</summary>
    public string? DescriptorSet { get; init; }

    /// <summary>
    /// The request of every call, in the proto3 JSON mapping, its strings' template parts (<c>{{call}}</c>...) rendered
    /// per call; for a client stream or bidi call, a JSON array is its list of messages. Default: the empty message.
    /// </summary>
    public JsonElement? Request { get; init; }

    /// <summary>A JSON-lines file of requests, one a line, instead of <see cref="Request"/>.</summary>
    public string? Requests { get; init; }

    /// <summary>With <see cref="Requests"/>: the lines at random rather than in order. Default: in order.</summary>
    public bool RandomRequests { get; init; }

    /// <summary>Metadata (headers) sent with every call, also with the reflection call.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Checks on every reply (each message of a stream): a call with a reply that fails one is counted as failed, as
    /// CHECK_FAILED. Default: none, and replies are not decoded.
    /// </summary>
    public IReadOnlyList<ReplyCheck> Expect { get; init; } = [];

    /// <summary>
    /// What each call does, in words, shown with the call kind on the report and in compare; a C# scenario's says what
    /// its step calls (default <see cref="CodeScenarios.CodeScenario.DefaultCallDescription"/>). Default: none.
    /// </summary>
    public string? Description { get; init; }

    /// <summary>Value equality, of the lists, the metadata and the request too (a record compares those by reference).</summary>
    public bool Equals(CallSpec? other) =>
        other is not null
        && (Kind, RequestSize, ReplySize, Replies, Messages, MessageInterval, Delay, Cpu, Deadline, Method, DescriptorSet, Requests, RandomRequests, Description)
            == (other.Kind, other.RequestSize, other.ReplySize, other.Replies, other.Messages, other.MessageInterval, other.Delay, other.Cpu, other.Deadline, other.Method, other.DescriptorSet, other.Requests, other.RandomRequests, other.Description)
        && Protos.SequenceEqual(other.Protos)
        && ImportPaths.SequenceEqual(other.ImportPaths)
        && Expect.SequenceEqual(other.Expect)
        && Metadata.Count == other.Metadata.Count && Metadata.All(pair => other.Metadata.TryGetValue(pair.Key, out var value) && value == pair.Value)
        && (Request, other.Request) switch
        {
            (null, null) => true,
            ({ } mine, { } theirs) => JsonElement.DeepEquals(mine, theirs),
            _ => false,
        };

    public override int GetHashCode() => HashCode.Combine(Kind, RequestSize, ReplySize, Replies, Messages, Deadline, Method);
}

using System.Text.Json;
using Google.Protobuf.Reflection;
using Grpc.Core;
using GrpcLoadLab.Balancer;
using GrpcLoadLab.Balancer.Transport;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Dynamic;

/// <summary>
/// A call of any service, ready to be made: its method as raw bytes both ways (<c>Method&lt;byte[], byte[]&gt;</c>),
/// its requests encoded (once, unless a template has per-call parts), its metadata. Prepared before any load, so that
/// bad input is refused with nothing started.
/// </summary>
internal sealed class DynamicCall
{
    /// <summary>How long the server has to answer the reflection call.</summary>
    public static readonly TimeSpan ReflectionTimeout = TimeSpan.FromSeconds(10);

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(bytes => bytes, bytes => bytes);

    private readonly RequestSource _requests;
    private readonly (string Key, Template Value)[] _metadata;
    private readonly Metadata? _headers;
    private readonly bool _headersPerCall;
    private readonly bool _numbered;
    private readonly int _agent;
    private long _calls;

    private DynamicCall(MethodDescriptor descriptor, CallKind kind, RequestSource requests, bool messageList, IReadOnlyDictionary<string, string> metadata, int agent, ReplyMatcher? replyCheck)
    {
        Descriptor = descriptor;
        ReplyCheck = replyCheck;
        Kind = kind;
        _requests = requests;
        MessageList = messageList;
        _agent = agent;
        _metadata = Templates(metadata);
        // No metadata is no headers at all, rather than an empty list that every call would carry and the channel read.
        _headers = _metadata.Length == 0 ? null : HeadersFor(_metadata, First(agent));
        _headersPerCall = _metadata.Any(pair => pair.Value.HasParts);
        // The run's shared call counter is one contended atomic a call: counted only when a request or header reads it.
        _numbered = _headersPerCall || requests.PerCall;
        Method = new Method<byte[], byte[]>(TypeOf(kind), descriptor.Service.FullName, descriptor.Name, Bytes, Bytes);
    }

    public MethodDescriptor Descriptor { get; }

    public Method<byte[], byte[]> Method { get; }

    public CallKind Kind { get; }

    /// <summary>The checks on every reply (<c>call.expect</c>); null when there are none, and replies are not decoded.</summary>
    public ReplyMatcher? ReplyCheck { get; }

    /// <summary>True when a stream's messages are a list (each sent once), false when one request is repeated.</summary>
    public bool MessageList { get; }

    /// <summary>
    /// The next call's messages (one, or a stream's list) and metadata (null: none), numbered from 1 in the run when
    /// they depend on the call.
    /// </summary>
    /// <param name="worker">The closed model's caller that makes the call, from 0; 0 in the open model.</param>
    public (IReadOnlyList<byte[]> Messages, Metadata? Headers) Next(int worker)
    {
        if (!_numbered)
        {
            return (_requests.Next(default), _headers);
        }

        var call = new CallContext(Interlocked.Increment(ref _calls), worker, _agent);
        return (_requests.Next(call), _headersPerCall ? HeadersFor(_metadata, call) : _headers);
    }

    /// <summary>
    /// The scenario's call of <see cref="CallSpec.Method"/>, its schema loaded and its requests encoded; null for a
    /// call of the lab's own service.
    /// </summary>
    /// <param name="target">Where server reflection asks, when the call names no .proto file or descriptor set.</param>
    /// <param name="agent">This agent's index among the run's agents (<c>{{agent}}</c>), from 0; 0 for a run of one.</param>
    /// <param name="tls">The target's TLS, which reflection goes over too; null for plaintext.</param>
    /// <exception cref="DynamicCallException">Bad input, in one line: what and where.</exception>
    public static async Task<DynamicCall?> PrepareAsync(CallSpec call, string target, int agent, ClientTls? tls, CancellationToken cancellationToken)
    {
        if (call.Method is not { } name)
        {
            return null;
        }

        // The reflection call carries the metadata as the first call would.
        var headers = HeadersFor(Templates(call.Metadata), First(agent));
        var schema = await LoadSchemaAsync(call, name, headers, target, tls, cancellationToken);
        var method = schema.FindMethod(name);
        var kind = KindOf(method);
        if (kind != call.Kind)
        {
            throw new DynamicCallException(
                $"call.kind: {name} is a {Spellings.CallKind.Name(kind)} method, not {Spellings.CallKind.Name(call.Kind)}: set \"kind\": \"{Spellings.CallKind.Name(kind)}\"");
        }

        var encoder = new JsonToWire(schema.Types);
        var list = call.Request is { ValueKind: JsonValueKind.Array };
        if (list && kind is not (CallKind.ClientStream or CallKind.Bidi))
        {
            throw new DynamicCallException($"call.request: a list of messages is for client-stream and bidi calls; {name} takes one request");
        }

        using var empty = JsonDocument.Parse("{}");
        var requests = call.Requests is { } file
            ? RequestSource.FromFile(file, call.RandomRequests, method.InputType, encoder)
            : RequestSource.FromRequest(call.Request ?? empty.RootElement, list, method.InputType, encoder, "call.request");
        var replyCheck = ReplyMatcher.Create(call.Expect, method.OutputType, schema.Types);
        return new DynamicCall(method, kind, requests, list, call.Metadata, agent, replyCheck);
    }

    /// <summary>The kind of the call's method, by its schema: a run from flags alone names none.</summary>
    /// <exception cref="DynamicCallException">Bad input, in one line: what and where.</exception>
    public static async Task<CallKind> KindOfAsync(CallSpec call, string target, ClientTls? tls, CancellationToken cancellationToken)
    {
        var name = call.Method ?? throw new ArgumentException("not a call of any service", nameof(call));
        var schema = await LoadSchemaAsync(call, name, HeadersFor(Templates(call.Metadata), First(agent: 0)), target, tls, cancellationToken);
        return KindOf(schema.FindMethod(name));
    }

    private static async Task<Schema> LoadSchemaAsync(
        CallSpec call, string method, Metadata headers, string target, ClientTls? tls, CancellationToken cancellationToken)
    {
        if (call.DescriptorSet is { } descriptorSet)
        {
            return DescriptorSetSchema.Load(descriptorSet);
        }

        if (call.Protos.Count > 0)
        {
            return ProtoFileSchema.Load(call.Protos, call.ImportPaths);
        }

        // A channel of its own: the reflection calls count in none of the run's per-endpoint figures.
        using var balanced = BalancedChannelFactory.Create(target, new BalancerOptions { HealthChecks = false, Tls = tls });
        try
        {
            return await ReflectionSchema.LoadAsync(
                balanced.Channel.CreateCallInvoker(), Schema.SplitMethodName(method).Service, headers, ReflectionTimeout, $"reflection at {target}", cancellationToken);
        }
        catch (DynamicCallException)
        {
            // A failed call says little of a connection that cannot work (TLS refused, TLS against plaintext): name it.
            if (await ConnectionCheck.FindProblemAsync(balanced.Target, tls, cancellationToken) is { } problem)
            {
                throw new DynamicCallException($"reflection at {target}: {problem}");
            }

            throw;
        }
    }

    private static (string Key, Template Value)[] Templates(IReadOnlyDictionary<string, string> metadata) =>
        [.. metadata.Select(pair => (pair.Key, Template.Parse(pair.Value, $"call.metadata.{pair.Key}")))];

    /// <summary>The first call's context: what the reflection call and the refusal of a part that cannot render see.</summary>
    private static CallContext First(int agent) => new(1, 0, agent);

    private static Metadata HeadersFor((string Key, Template Value)[] metadata, in CallContext call)
    {
        var headers = new Metadata();
        foreach (var (key, value) in metadata)
        {
            try
            {
                headers.Add(key, value.Render(call));
            }
            catch (ArgumentException e)
            {
                throw new DynamicCallException($"call.metadata: '{key}' is not a metadata key ({e.Message})");
            }
        }

        return headers;
    }

    private static CallKind KindOf(MethodDescriptor method) => (method.IsClientStreaming, method.IsServerStreaming) switch
    {
        (false, false) => CallKind.Unary,
        (false, true) => CallKind.ServerStream,
        (true, false) => CallKind.ClientStream,
        (true, true) => CallKind.Bidi,
    };

    private static MethodType TypeOf(CallKind kind) => kind switch
    {
        CallKind.Unary => MethodType.Unary,
        CallKind.ServerStream => MethodType.ServerStreaming,
        CallKind.ClientStream => MethodType.ClientStreaming,
        _ => MethodType.DuplexStreaming,
    };
}

using System.Collections.Concurrent;
using System.Text.Json;
using Google.Protobuf.Reflection;

namespace GrpcLoadLab.LoadGen.Dynamic;

/// <summary>
/// The requests of a call of any service, encoded to wire bytes: once for all where they do not change (a request
/// without per-call parts, each line of a requests file, each message of a list), and once per distinct rendered value
/// where a template has per-call parts: a call whose parts render as an earlier call's did (the same
/// <c>{{worker}}</c>, a <c>{{randomInt}}</c> drawn again) sends that call's bytes, unparsed.
/// </summary>
internal sealed class RequestSource
{
    /// <summary>
    /// Bounds on the distinct renderings kept: past them a new value is encoded for its call alone, so that parts
    /// that never repeat (<c>{{call}}</c>, <c>{{uuid}}</c>) cannot grow the generator.
    /// </summary>
    private const int MaxKept = 10_000;

    private const long MaxKeptBytes = 64L << 20;

    private readonly byte[][][] _encoded;
    private readonly Template[]? _templates;
    private readonly Func<string, byte[]>? _encode;
    private readonly ConcurrentDictionary<string, byte[]> _rendered = new(StringComparer.Ordinal);
    private readonly bool _random;
    private long _kept;
    private long _keptBytes;

    /// <param name="encoded">The choices of a call's messages: each one message, or one list for a stream.</param>
    private RequestSource(byte[][][] encoded, bool random = false)
    {
        _encoded = encoded;
        _random = random;
    }

    /// <param name="first">Each template's message as the first call renders it: what a template without parts sends.</param>
    private RequestSource(Template[] templates, byte[][] first, Func<string, byte[]> encode)
    {
        _encoded = [first];
        _templates = templates;
        _encode = encode;
    }

    /// <summary>True when the messages depend on the call (<see cref="Next"/> reads its context): a template with per-call parts, or a file's lines in order.</summary>
    public bool PerCall => _templates is not null || (_encoded.Length > 1 && !_random);

    /// <summary>The messages of a call (one, or a stream's list).</summary>
    public IReadOnlyList<byte[]> Next(in CallContext call) =>
        _templates is not null ? Render(call)
        : _encoded.Length == 1 ? _encoded[0]
        : _random ? _encoded[Random.Shared.Next(_encoded.Length)]
        : _encoded[(call.Call - 1) % _encoded.Length];

    /// <summary>
    /// The request, or for a client stream or bidi call a JSON array of its messages; templates' per-call parts are
    /// rendered for each call.
    /// </summary>
    /// <exception cref="DynamicCallException">A message (rendered for the first call) does not fit the message type.</exception>
    public static RequestSource FromRequest(JsonElement request, bool list, MessageDescriptor type, JsonToWire encoder, string where)
    {
        var texts = list ? request.EnumerateArray().Select(message => message.GetRawText()).ToList() : [request.GetRawText()];
        if (texts.Count == 0)
        {
            throw new DynamicCallException($"{where}: the list of messages is empty");
        }

        string At(int i) => list ? $"{where}[{i}]" : where;
        byte[] Encode(string json, string at)
        {
            using var document = JsonDocument.Parse(json, JsonToWire.DocumentOptions);
            return encoder.Encode(type, document.RootElement, at);
        }

        var templates = texts.Select((text, i) => Template.Parse(text, At(i))).ToArray();
        // Rendered now, as the first call and with its random parts at both ends of their ranges, so that a part
        // that does not always fit its field is refused before the run, not by the calls that draw a value beyond it.
        var firstCall = new CallContext(1, 0, 0);
        var first = templates.Select((template, i) => Encode(template.Render(firstCall), At(i))).ToArray();
        for (var i = 0; i < templates.Length; i++)
        {
            foreach (var extreme in templates[i].RenderExtremes(firstCall))
            {
                try
                {
                    Encode(extreme, At(i));
                }
                catch (DynamicCallException e)
                {
                    throw new DynamicCallException($"{e.Message} (its random parts can draw that: narrow their ranges to what the field takes)");
                }
            }
        }

        return templates.Any(template => template.HasParts)
            ? new RequestSource(templates, first, json => Encode(json, where))
            : new RequestSource([first]);
    }

    /// <summary>A JSON-lines file, one request a line (blank lines skipped), sent in order or at random.</summary>
    /// <exception cref="DynamicCallException">The file cannot be read, holds no request, or a line does not fit: its number.</exception>
    public static RequestSource FromFile(string path, bool random, MessageDescriptor type, JsonToWire encoder)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DynamicCallException($"requests file '{path}' cannot be read ({e.Message})");
        }

        var encoded = new List<byte[][]>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            var where = $"{path}:{i + 1}";
            try
            {
                using var document = JsonDocument.Parse(lines[i], JsonToWire.DocumentOptions);
                encoded.Add([encoder.Encode(type, document.RootElement, where)]);
            }
            catch (JsonException e)
            {
                throw new DynamicCallException($"{where}: not JSON ({e.Message})");
            }
        }

        return encoded.Count > 0
            ? new RequestSource([.. encoded], random)
            : throw new DynamicCallException($"requests file '{path}' holds no request (one JSON object a line)");
    }

    private byte[][] Render(in CallContext call)
    {
        var messages = new byte[_templates!.Length][];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = _templates[i].HasParts ? EncodeOnce(_templates[i].Render(call)) : _encoded[0][i];
        }

        return messages;
    }

    private byte[] EncodeOnce(string json)
    {
        if (_rendered.TryGetValue(json, out var kept))
        {
            return kept;
        }

        var bytes = _encode!(json);
        if (Interlocked.Increment(ref _kept) <= MaxKept && Interlocked.Add(ref _keptBytes, bytes.Length + (2L * json.Length)) <= MaxKeptBytes)
        {
            // Two calls rendering a new value at once may both encode it: equal bytes, one kept.
            return _rendered.GetOrAdd(json, bytes);
        }

        return bytes;
    }
}

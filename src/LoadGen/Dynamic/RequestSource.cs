using System.Text.Json;
using Google.Protobuf.Reflection;

namespace GrpcLoadLab.LoadGen.Dynamic;

/// <summary>
/// The requests of a call of any service, encoded to wire bytes: once for all where they do not change (a request
/// without per-call parts, each line of a requests file, each message of a list), and per call only where a template
/// has per-call parts.
/// </summary>
internal sealed class RequestSource
{
    private readonly byte[][][] _encoded;
    private readonly Template[]? _templates;
    private readonly Func<string, byte[]>? _encode;
    private readonly bool _random;

    /// <param name="encoded">The choices of a call's messages: each one message, or one list for a stream.</param>
    private RequestSource(byte[][][] encoded, bool random = false)
    {
        _encoded = encoded;
        _random = random;
    }

    private RequestSource(Template[] templates, Func<string, byte[]> encode)
    {
        _encoded = [];
        _templates = templates;
        _encode = encode;
    }

    /// <summary>The messages of call number <paramref name="call"/> (from 1): one, or a stream's list.</summary>
    public IReadOnlyList<byte[]> Next(long call) =>
        _templates is not null ? [.. _templates.Select(template => _encode!(template.Render(call)))]
        : _encoded.Length == 1 ? _encoded[0]
        : _random ? _encoded[Random.Shared.Next(_encoded.Length)]
        : _encoded[(call - 1) % _encoded.Length];

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
            using var document = JsonDocument.Parse(json);
            return encoder.Encode(type, document.RootElement, at);
        }

        var templates = texts.Select((text, i) => Template.Parse(text, At(i))).ToArray();
        // Rendered once now, so that a part that does not fit its field is refused before the run.
        var first = templates.Select((template, i) => Encode(template.Render(1), At(i))).ToArray();
        return templates.Any(template => template.HasParts)
            ? new RequestSource(templates, json => Encode(json, where))
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
                using var document = JsonDocument.Parse(lines[i]);
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
}

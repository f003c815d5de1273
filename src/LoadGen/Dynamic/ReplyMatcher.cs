using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Dynamic;

/// <summary>
/// The call's checks on its replies (<c>call.expect</c>), each path resolved against the reply's message type before
/// the run, so that a path that names no field is refused with nothing started. A reply is decoded to its JSON (the
/// proto3 JSON mapping, as <see cref="WireToJson"/> writes it) only for a call that has checks. A field the reply
/// leaves out holds its default, as proto3 reads it: <c>""</c>, <c>0</c>, <c>false</c>, an enum's first name, a
/// message's <c>null</c>, a list's <c>[]</c>; an index or map key that is not there holds nothing.
/// </summary>
internal sealed partial class ReplyMatcher
{
    /// <summary>How much of a value a mismatch shows.</summary>
    private const int ShownLength = 120;

    private readonly MessageDescriptor _type;
    private readonly WireToJson _decoder;
    private readonly Check[] _checks;

    private ReplyMatcher(MessageDescriptor type, WireToJson decoder, Check[] checks)
    {
        _type = type;
        _decoder = decoder;
        _checks = checks;
    }

    /// <summary>The matcher of <paramref name="checks"/> on replies of <paramref name="type"/>; null when there are none.</summary>
    /// <exception cref="DynamicCallException">A path that is not one, or names what the reply type does not have, at <c>call.expect[i].path</c>.</exception>
    public static ReplyMatcher? Create(IReadOnlyList<ReplyCheck> checks, MessageDescriptor type, SchemaTypes types)
    {
        if (checks.Count == 0)
        {
            return null;
        }

        var decoder = new WireToJson(types);
        return new ReplyMatcher(type, decoder, [.. checks.Select((check, i) => Resolve(check, type, decoder, string.Create(CultureInfo.InvariantCulture, $"call.expect[{i}].path")))]);
    }

    /// <summary>Null when every check holds for <paramref name="reply"/>; else the first that does not, e.g. <c>$.name: expected "x", got "y"</c>.</summary>
    public string? Mismatch(byte[] reply)
    {
        JsonDocument document;
        try
        {
            // As deep as protobuf lets a message nest, as a request is read: the reader's default of 64 threw here.
            document = JsonDocument.Parse(_decoder.Decode(_type, UnsafeByteOperations.UnsafeWrap(reply)), JsonToWire.DocumentOptions);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or FormatException)
        {
            return $"the reply is no {_type.FullName} ({e.Message})";
        }

        using (document)
        {
            foreach (var check in _checks)
            {
                var actual = Find(document.RootElement, check);
                if (actual is not { } value || !SameValue(value, check.Expected))
                {
                    return $"{check.Path}: expected {Shown(check.Expected)}, got {(actual is { } found ? Shown(found) : "nothing")}";
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The value at the check's path; the path's default where a field on the way is left out; null where an index or
    /// map key on the way is not there.
    /// </summary>
    private static JsonElement? Find(JsonElement root, Check check)
    {
        var at = root;
        for (var i = 0; i < check.Steps.Length; i++)
        {
            var step = check.Steps[i];
            var found = step.Member is { } name
                ? at.ValueKind == JsonValueKind.Object && at.TryGetProperty(name, out _)
                : at.ValueKind == JsonValueKind.Array && step.Index < at.GetArrayLength();
            if (!found)
            {
                return check.Steps.Skip(i).Any(s => s.Element) ? null : check.Default;
            }

            at = step.Member is { } key ? at.GetProperty(key) : at[step.Index];
        }

        return at;
    }

    /// <summary>
    /// JSON equality, where a number equals a string holding the same number: the mapping writes 64-bit integers as
    /// strings, and a check may give them as numbers.
    /// </summary>
    private static bool SameValue(JsonElement actual, JsonElement expected) =>
        (actual.ValueKind, expected.ValueKind) is (JsonValueKind.Number or JsonValueKind.String, JsonValueKind.Number) or (JsonValueKind.Number, JsonValueKind.String)
        && Number(actual) is { } left && Number(expected) is { } right
            ? left == right
            : JsonElement.DeepEquals(actual, expected);

    private static decimal? Number(JsonElement value) =>
        decimal.TryParse(value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    private static string Shown(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= ShownLength ? text : text[..ShownLength] + "...";
    }

    /// <summary>The path's steps, each checked against the schema: a field of a message, an index of a list, a key of a map.</summary>
    private static Check Resolve(ReplyCheck check, MessageDescriptor type, WireToJson decoder, string where)
    {
        var path = check.Path;
        var matches = StepPattern().Matches(path, path.StartsWith('$') ? 1 : 0);
        if (!path.StartsWith('$') || matches.Sum(m => m.Length) != path.Length - 1)
        {
            throw new DynamicCallException($"{where}: '{path}' is not a path: $, then .field, [index] or [\"map key\"], e.g. $.location.latitude");
        }

        var steps = new List<Step>();
        MessageDescriptor? message = type;
        FieldDescriptor? container = null;
        FieldDescriptor? end = null;
        var walked = "$";
        foreach (Match match in matches)
        {
            if (match.Groups["index"].Success)
            {
                if (container is not { IsMap: false })
                {
                    throw new DynamicCallException($"{where}: {walked} is not a list: it has no {match.Value}");
                }

                steps.Add(new Step(null, int.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture), Element: true));
                message = MessageOf(container);
                container = null;
            }
            else if (container is { IsMap: true } map)
            {
                steps.Add(new Step(Name(match), 0, Element: true));
                end = map.MessageType.FindFieldByNumber(2);
                message = MessageOf(end);
                container = null;
            }
            else if (message is not null)
            {
                var field = JsonToWire.FindField(message, Name(match), $"{where}: {walked}");
                steps.Add(new Step(field.JsonName, 0, Element: false));
                end = field;
                container = field.IsRepeated ? field : null;
                message = field.IsRepeated ? null : MessageOf(field);
            }
            else
            {
                throw new DynamicCallException($"{where}: {walked} is not a message or a map: it has no {match.Value}");
            }

            walked += match.Value;
        }

        using var fallback = JsonDocument.Parse(DefaultJson(end, container, decoder));
        return new Check(path, [.. steps], check.Value, fallback.RootElement.Clone());
    }

    private static string Name(Match step) => step.Groups["name"].Success ? step.Groups["name"].Value : step.Groups["key"].Value;

    /// <summary>A field's message, when a path may go into its fields: not a well-known type with a JSON form of its own, nor an Any.</summary>
    private static MessageDescriptor? MessageOf(FieldDescriptor field) =>
        field.FieldType == FieldType.Message && WellKnownTypes.WithSpecialJson(field.MessageType) is null && field.MessageType.FullName != WellKnownTypes.AnyName
            ? field.MessageType
            : null;

    /// <param name="end">The field the path ends in; null for the reply itself.</param>
    /// <param name="container">The list or map the path ends in, if it does.</param>
    private static string DefaultJson(FieldDescriptor? end, FieldDescriptor? container, WireToJson decoder) =>
        container is not null ? (container.IsMap ? "{}" : "[]")
        : end is null || end.FieldType == FieldType.Message ? "null"
        : decoder.DefaultJson(end);

    [GeneratedRegex("""\G(?:\.(?<name>[A-Za-z_][A-Za-z0-9_]*)|\[(?<index>[0-9]{1,9})\]|\["(?<key>[^"]*)"\])""")]
    private static partial Regex StepPattern();

    /// <summary>A step of a path: a member of an object (a field's JSON name, a map key), or an index of a list.</summary>
    /// <param name="Element">An index or map key: where it is not there, the path holds nothing rather than a default.</param>
    private readonly record struct Step(string? Member, int Index, bool Element);

    /// <param name="Default">What the path holds when a field on its way is left out.</param>
    private sealed record Check(string Path, Step[] Steps, JsonElement Expected, JsonElement Default);
}

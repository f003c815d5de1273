using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace GrpcLoadLab.LoadGen.Dynamic;

/// <summary>
/// A text with per-call parts, <c>{{name}}</c> or <c>{{name ARGUMENTS}}</c>: <c>{{call}}</c> (the call's number in
/// the run, from 1), <c>{{worker}}</c> and <c>{{agent}}</c> (see <see cref="CallContext"/>), <c>{{randomInt MIN MAX}}</c>,
/// <c>{{randomString LENGTH}}</c> (letters and digits), <c>{{uuid}}</c>, <c>{{time}}</c> (RFC 3339, UTC) and
/// <c>{{unixMillis}}</c>. Parsed once; rendering only writes the parts.
/// </summary>
internal sealed partial class Template
{
    public const string Names = "{{call}}, {{worker}}, {{agent}}, {{randomInt MIN MAX}}, {{randomString LENGTH}}, {{uuid}}, {{time}}, {{unixMillis}}";

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>Literal text (a string) and parts, in order.</summary>
    private readonly object[] _pieces;

    private Template(object[] pieces)
    {
        _pieces = pieces;
        HasParts = pieces.Any(piece => piece is Part);
    }

    /// <summary>True when the text has per-call parts; a text without any renders to itself and need not be rendered.</summary>
    public bool HasParts { get; }

    /// <exception cref="DynamicCallException">A part that is not one of <see cref="Names"/>, named with <paramref name="where"/>.</exception>
    public static Template Parse(string text, string where)
    {
        var pieces = new List<object>();
        var at = 0;
        foreach (Match match in PartPattern().Matches(text))
        {
            pieces.Add(text[at..match.Index]);
            pieces.Add(ParsePart(match.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries), match.Value, where));
            at = match.Index + match.Length;
        }

        pieces.Add(text[at..]);
        return new Template([.. pieces.Where(piece => piece is not "")]);
    }

    public string Render(in CallContext call) => Render(call, extreme: null);

    /// <summary>
    /// The text with every random part at one end of its range, then at the other (<c>{{randomInt MIN MAX}}</c> as MIN,
    /// then MAX; <c>{{randomString N}}</c> as N letters, then N digits): a field that takes these takes every value
    /// the parts can draw, so a part that cannot always fit is refused before the run rather than by one call in it.
    /// </summary>
    public IEnumerable<string> RenderExtremes(CallContext call) =>
        _pieces.Any(piece => piece is Part { Low: not null }) ? [Render(call, extreme: false), Render(call, extreme: true)] : [];

    private string Render(in CallContext call, bool? extreme)
    {
        var text = new StringBuilder();
        foreach (var piece in _pieces)
        {
            text.Append(piece switch
            {
                Part { Low: { } low, High: { } high } when extreme is not null => extreme.Value ? high : low,
                Part part => part.Draw(call),
                _ => (string)piece,
            });
        }

        return text.ToString();
    }

    private static Part ParsePart(string[] words, string text, string where) => words switch
    {
        ["call"] => new(call => call.Call.ToString(CultureInfo.InvariantCulture)),
        ["worker"] => new(call => call.Worker.ToString(CultureInfo.InvariantCulture)),
        ["agent"] => new(call => call.Agent.ToString(CultureInfo.InvariantCulture)),
        ["uuid"] => new(_ => Guid.NewGuid().ToString("D", CultureInfo.InvariantCulture)),
        ["time"] => new(_ => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)),
        ["unixMillis"] => new(_ => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
        ["randomInt", var low, var high] when long.TryParse(low, CultureInfo.InvariantCulture, out var min)
            && long.TryParse(high, CultureInfo.InvariantCulture, out var max) && min <= max && max < long.MaxValue =>
            new(_ => Random.Shared.NextInt64(min, max + 1).ToString(CultureInfo.InvariantCulture), Invariant(min), Invariant(max)),
        ["randomString", var size] when int.TryParse(size, CultureInfo.InvariantCulture, out var length) && length is >= 0 and <= 1_000_000 =>
            new(_ => string.Create(length, 0, static (span, _) => Random.Shared.GetItems(Alphabet, span)), new string('a', length), new string('0', length)),
        _ => throw new DynamicCallException($"{where}: '{text}' is not a template part (the parts: {Names})"),
    };

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\{\{\s*([^{}]*?)\s*\}\}")]
    private static partial Regex PartPattern();

    /// <summary>A per-call part; a random one also says the two ends of what it draws.</summary>
    private sealed record Part(Func<CallContext, string> Draw, string? Low = null, string? High = null);
}

using System.Text.Json;

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// How the values of <typeparamref name="T"/> are written, in scenario files and on the command line alike (one
/// spelling for both, so a name that works in one works in the other).
/// </summary>
public sealed class EnumSpelling<T> : IEnumSpelling
    where T : struct, Enum
{
    private readonly Dictionary<string, T> _byName;
    private readonly Dictionary<T, string> _byValue;

    public EnumSpelling(JsonNamingPolicy naming)
    {
        ArgumentNullException.ThrowIfNull(naming);
        _byValue = Enum.GetValues<T>().ToDictionary(value => value, value => naming.ConvertName(value.ToString()));
        _byName = _byValue.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);
        Names = [.. _byValue.Values];
        Choices = $"{string.Join(", ", Names.SkipLast(1))} or {Names[^1]}";
    }

    public IReadOnlyList<string> Names { get; }

    public string Choices { get; }

    public bool TryParse(string? text, out T value) => _byName.TryGetValue(text?.Trim() ?? string.Empty, out value);

    public string Name(T value) =>
        _byValue.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, $"not a {typeof(T).Name}");
}

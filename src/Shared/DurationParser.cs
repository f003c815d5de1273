using System.Globalization;

namespace GrpcLoadLab.Common;

/// <summary>Parses the durations people type: <c>250ms</c>, <c>1.5s</c>, <c>2m</c>, <c>100us</c>.</summary>
public static class DurationParser
{
    // Two-letter suffixes first, so that "ms" is not read as "m" and "us" not as "s".
    private static readonly (string Suffix, double Microseconds)[] Units =
    [
        ("us", 1),
        ("ms", 1_000),
        ("s", 1_000_000),
        ("m", 60_000_000),
        ("h", 3_600_000_000),
    ];

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        foreach (var (suffix, micros) in Units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && double.IsFinite(value))
            {
                duration = TimeSpan.FromMicroseconds(value * micros);
                return true;
            }
        }

        return false;
    }
}

using System.CommandLine.Parsing;
using System.Globalization;

namespace GrpcLoadLab.Common;

/// <summary>Parses the durations people type: <c>250ms</c>, <c>1.5s</c>, <c>2m</c>, <c>100us</c>.</summary>
public static class DurationParser
{
    /// <summary>How to write a duration, for the messages that refuse one.</summary>
    public const string Hint = "write it like 500ms, 10s or 2m";

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
                duration = Saturated(value * micros);
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A duration beyond what <see cref="TimeSpan"/> holds (<c>1e30s</c>) reads as its largest (or smallest) value,
    /// never an overflow: every reader's range check then refuses it in its own words.
    /// </summary>
    private static TimeSpan Saturated(double micros)
    {
        // Half the range is still about 146,000 years, and keeps the conversion clear of rounding at the edge.
        var edge = TimeSpan.MaxValue.TotalMicroseconds / 2;
        return micros >= edge ? TimeSpan.MaxValue : micros <= -edge ? TimeSpan.MinValue : TimeSpan.FromMicroseconds(micros);
    }

    /// <summary>
    /// A command-line option's duration: the value, or null after adding an error that names the option and the fix.
    /// </summary>
    public static TimeSpan? ParseOption(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (TryParse(text, out var duration))
        {
            return duration;
        }

        result.AddError($"{((OptionResult)result.Parent!).Option.Name} '{text}' is not a duration: {Hint}");
        return null;
    }
}

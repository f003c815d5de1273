using System.Globalization;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// How a figure's numbers are written, held as data rather than code so that the index's script writes them exactly
/// as the pages do (it reads this serialized). The rounding is spelt out so that both sides do the same arithmetic:
/// .NET's <c>F</c> format rounds exact ties to even (0.125 → 0.12) where JavaScript's <c>toFixed</c> rounds them up, so
/// the magnitude is first rounded half away from zero by scaling (<c>Math.Round(x, places, AwayFromZero)</c> here,
/// <c>Math.round(x * 10^places) / 10^places</c> there: the same IEEE operations), and only then written.
/// </summary>
/// <param name="Places">Decimals by size: the first step whose <see cref="DecimalPlaces.Below"/> the value is under.</param>
internal sealed record NumberFormat(IReadOnlyList<DecimalPlaces> Places)
{
    /// <summary>Milliseconds: two decimals below 1 ms (local calls take a fraction of one), one below 100 ms, none above.</summary>
    public static NumberFormat Millis { get; } = new([new(1, 2), new(100, 1), new(null, 0)]);

    /// <summary>Calls or messages a second: one decimal.</summary>
    public static NumberFormat Rate { get; } = new([new(null, 1)]);

    /// <summary>Whole counts, thousands grouped.</summary>
    public static NumberFormat Count { get; } = new([new(null, 0)]) { GroupThousands = true };

    /// <summary>Drops the trailing zeros of the decimals (and a bare point).</summary>
    public bool TrimZeros { get; init; }

    /// <summary>Groups thousands with commas.</summary>
    public bool GroupThousands { get; init; }

    public string Suffix { get; init; } = "";

    /// <summary><paramref name="value"/> written; "-" for what is not a number a figure can have (NaN, infinite).</summary>
    public string Format(double value)
    {
        if (!double.IsFinite(value))
        {
            return "-";
        }

        var places = Places.First(step => step.Below is not { } below || Math.Abs(value) < below).Decimals;
        var rounded = Math.Round(Math.Abs(value), places, MidpointRounding.AwayFromZero);
        var text = (value < 0 && rounded != 0 ? "-" : "") + rounded.ToString((GroupThousands ? "N" : "F") + places.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        if (TrimZeros && text.Contains('.', StringComparison.Ordinal))
        {
            text = text.TrimEnd('0').TrimEnd('.');
        }

        return text + Suffix;
    }
}

/// <summary>Values under <see cref="Below"/> (any value when null) are written with <see cref="Decimals"/> decimals.</summary>
internal sealed record DecimalPlaces(double? Below, int Decimals);

using System.Globalization;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// How every reader writes a figure — the pages, <c>summary.md</c>, the study's words and the terminal alike: in the
/// invariant culture, so that a page or a log reads the same on every machine, and by <see cref="NumberFormat"/>'s rules
/// where the index's script must write the same figure too.
/// </summary>
internal static class NumberText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>By <see cref="NumberFormat.Millis"/>; "-" for a negative value, which no latency can be.</summary>
    public static string Millis(double millis) => millis < 0 ? "-" : NumberFormat.Millis.Format(millis);

    /// <summary>One value of <paramref name="histogram"/> (microseconds) in milliseconds; "-" when it holds no calls.</summary>
    public static string Millis(HistogramSummary histogram, Func<HistogramSummary, long> value) =>
        histogram.Count == 0 ? "-" : Millis(value(histogram) / 1000.0);

    /// <summary>A share from 0 to 1 as a percentage.</summary>
    public static string Percent(double share, int decimals) =>
        (share * 100).ToString("F" + decimals.ToString(Invariant), Invariant) + "%";

    public static string Count(long count) => NumberFormat.Count.Format(count);

    public static string Rate(double perSecond) => NumberFormat.Rate.Format(perSecond);

    /// <summary>
    /// A measured value in its unit, by the rule of the figures shown beside it: milliseconds as <see cref="Millis(double)"/>
    /// (so a threshold's actual p99 reads as the p99 figure above it), anything else as <see cref="Number"/>.
    /// </summary>
    public static string Measured(double value, string unit) => unit == "ms" ? Millis(value) : Number(value);

    /// <summary>A value as measured: up to three decimals, no thousands separators.</summary>
    public static string Number(double value) => value.ToString("0.###", Invariant);

    /// <summary>A load in words: <c>64 concurrent</c> (callers, closed model) or <c>800/s</c> (calls a second, open model).</summary>
    public static string Load(bool openModel, double load) => openModel
        ? string.Create(Invariant, $"{load:0.##}/s")
        : string.Create(Invariant, $"{load:0} concurrent");

    /// <summary>Whole seconds, nearest first: a ticker a few milliseconds early still shows the second it means.</summary>
    public static long WholeSeconds(TimeSpan time) => (long)Math.Round(Math.Max(0, time.TotalSeconds));

    /// <summary>A run's length: tenths of a second under a minute, then minutes and seconds.</summary>
    public static string Duration(TimeSpan time)
    {
        if (time < TimeSpan.FromMinutes(1))
        {
            return time.TotalSeconds.ToString("0.0", Invariant) + " s";
        }

        var seconds = WholeSeconds(time);
        return seconds < 3600
            ? string.Create(Invariant, $"{seconds / 60}m {seconds % 60:00}s")
            : string.Create(Invariant, $"{seconds / 3600}h {seconds / 60 % 60:00}m {seconds % 60:00}s");
    }
}

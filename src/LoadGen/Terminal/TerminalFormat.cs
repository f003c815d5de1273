using System.Globalization;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Terminal;

/// <summary>
/// How the terminal writes numbers: always in the invariant culture, so that logs and summaries read the same on
/// every machine, and with as many digits as the size of the value warrants.
/// </summary>
internal static class TerminalFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>By <see cref="NumberFormat.Millis"/>, the pages' rule, so that the terminal and the pages write one figure alike.</summary>
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

    /// <summary>Where the run is: <c>phase 2/4: 500/s for 10s</c>, marked when the phase is a warm-up.</summary>
    public static string Phase(LiveSnapshot snapshot) =>
        string.Create(Invariant, $"phase {snapshot.PhaseNumber}/{snapshot.PhaseCount}: {snapshot.Phase}")
        + (snapshot.Warmup ? " (WARM-UP)" : "");

    /// <summary>The last second's p50 and p99; "-" when no call ended in it, since there was nothing to measure.</summary>
    public static string LastSecondLatency(LiveSnapshot snapshot) =>
        snapshot.CallsPerSecond > 0
            ? $"p50 {Millis(snapshot.P50Millis)} ms p99 {Millis(snapshot.P99Millis)} ms"
            : "p50 - p99 -";

    /// <summary>The servers in a stable order, so that a line or a table row does not jump between updates.</summary>
    public static IEnumerable<ServerShare> ByInstance(IReadOnlyList<ServerShare> servers) =>
        servers.OrderBy(server => server.InstanceId, StringComparer.Ordinal);
}

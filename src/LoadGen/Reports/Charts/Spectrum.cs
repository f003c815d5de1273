using GrpcLoadLab.LoadGen.Metrics;
using HdrHistogram;

namespace GrpcLoadLab.LoadGen.Reports.Charts;

/// <summary>
/// Reads distributions back from their encoded HdrHistograms: the percentile spectrum (percentile → latency) and
/// log-spaced buckets (latency → calls).
/// </summary>
internal static class Spectrum
{
    /// <summary>Points per halving of the distance to 100%: HdrHistogram's own plots use 5.</summary>
    private const int TicksPerHalfDistance = 5;

    /// <summary>Buckets per tenfold of latency.</summary>
    private const int BucketsPerDecade = 10;

    /// <summary>Percentiles (0 to 100, below 100) and their latency in ms.</summary>
    public static IReadOnlyList<SpectrumPoint> Points(string encoded)
    {
        var histogram = HistogramCodec.Decode(encoded);
        if (histogram.TotalCount == 0)
        {
            return [];
        }

        return [.. histogram.Percentiles(TicksPerHalfDistance)
            .Where(v => v.PercentileLevelIteratedTo < 100)
            .Select(v => new SpectrumPoint(Math.Round(v.PercentileLevelIteratedTo, 5), histogram.HighestEquivalentValue(v.ValueIteratedTo) / 1000.0))];
    }

    /// <summary>Calls per log-spaced latency bucket: (bucket's upper bound in ms, calls).</summary>
    public static IReadOnlyList<(double UpperMillis, long Calls)> Buckets(string encoded)
    {
        var histogram = HistogramCodec.Decode(encoded);
        return [.. histogram.RecordedValues()
            .GroupBy(v => (int)Math.Ceiling(Math.Log10(Math.Max(1, histogram.HighestEquivalentValue(v.ValueIteratedTo))) * BucketsPerDecade))
            .OrderBy(g => g.Key)
            .Select(g => (Math.Round(Math.Pow(10, (double)g.Key / BucketsPerDecade) / 1000.0, 4), g.Sum(v => v.CountAddedInThisIterationStep)))];
    }

    /// <summary>The x of a percentile on the spectrum's axis: 1/(1−p), so that 90%, 99%, 99.9% are evenly spaced on a log scale.</summary>
    public static double Nines(double percentile) => 1 / (1 - percentile / 100);
}

/// <summary>One point of a percentile spectrum.</summary>
internal sealed record SpectrumPoint(double Percentile, double Millis);

using GrpcLoadLab.LoadGen.Results;
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

    /// <summary>
    /// Calls per log-spaced latency bucket, lowest first: bucket <c>i</c> holds the values from 10^(i/10) µs up to
    /// 10^((i+1)/10) µs. Each of HdrHistogram's recorded values adds its count (the calls at that value), so the
    /// buckets' calls add up to the histogram's total.
    /// </summary>
    public static IReadOnlyList<LatencyBucket> Buckets(string encoded)
    {
        var histogram = HistogramCodec.Decode(encoded);
        // The iterator hands out one value object that it changes at each step: read it at once.
        return [.. histogram.RecordedValues()
            .Select(v => (Micros: histogram.MedianEquivalentValue(v.ValueIteratedTo), Calls: v.CountAtValueIteratedTo))
            .GroupBy(v => (int)Math.Floor(Math.Log10(Math.Max(1, v.Micros)) * BucketsPerDecade))
            .OrderBy(g => g.Key)
            .Select(g => new LatencyBucket(Edge(g.Key), Edge(g.Key + 1), g.Sum(v => v.Calls)))];
    }

    /// <summary>The log10 of a bucket's edge in ms: the histogram's x axis is log10(ms), so that bars are as wide as their buckets.</summary>
    private static double Edge(int bucket) => (double)bucket / BucketsPerDecade - 3;

    /// <summary>The x of a percentile on the spectrum's axis: 1/(1−p), so that 90%, 99%, 99.9% are evenly spaced on a log scale.</summary>
    public static double Nines(double percentile) => 1 / (1 - percentile / 100);
}

/// <summary>One point of a percentile spectrum.</summary>
internal sealed record SpectrumPoint(double Percentile, double Millis);

/// <summary>One bucket of the latency histogram: its edges as log10(ms) and the calls in it.</summary>
internal sealed record LatencyBucket(double LowerLog10Millis, double UpperLog10Millis, long Calls)
{
    public double LowerMillis => Math.Pow(10, LowerLog10Millis);

    public double UpperMillis => Math.Pow(10, UpperLog10Millis);
}

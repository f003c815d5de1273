using HdrHistogram;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>Reads a histogram into the figures a result keeps: the recorders' histograms, and the sums of merged runs'.</summary>
internal static class HistogramSummaries
{
    public static HistogramSummary Summarize(HistogramBase histogram)
    {
        if (histogram.TotalCount == 0)
        {
            return new HistogramSummary(0, 0, 0, 0, 0, 0, 0, 0, 0, HistogramCodec.Encode(histogram));
        }

        return new HistogramSummary(
            histogram.TotalCount,
            Min: histogram.LowestEquivalentValue(histogram.RecordedValues().First().ValueIteratedTo),
            Mean: Math.Round(histogram.GetMean(), 1),
            P50: histogram.GetValueAtPercentile(50),
            P90: histogram.GetValueAtPercentile(90),
            P99: histogram.GetValueAtPercentile(99),
            P999: histogram.GetValueAtPercentile(99.9),
            P9999: histogram.GetValueAtPercentile(99.99),
            Max: histogram.GetMaxValue(),
            Encoded: HistogramCodec.Encode(histogram));
    }

    /// <summary>A summary only when something was recorded: streaming figures are absent for unary runs.</summary>
    public static HistogramSummary? SummarizeIfAny(HistogramBase histogram) =>
        histogram.TotalCount == 0 ? null : Summarize(histogram);
}

using GrpcLoadLab.LoadGen.Results;
using HdrHistogram;

namespace GrpcLoadLab.LoadGen.Merging;

/// <summary>
/// Adds encoded HdrHistograms: each decoded from its standard form, their counts added bucket by bucket, the sum read
/// again. Percentiles are read from the sum, never averaged: the p99 of the sum is the p99 of every call together.
/// </summary>
internal static class HistogramSum
{
    /// <summary>The sum of one or more encoded histograms of the lab's one shape.</summary>
    public static HistogramBase Add(IEnumerable<string> encoded) =>
        encoded.Select(HistogramCodec.Decode).Aggregate((sum, next) =>
        {
            sum.Add(next);
            return sum;
        });

    /// <summary>The summary of the sum of histograms every part has (latency, service time).</summary>
    public static HistogramSummary Of(IEnumerable<HistogramSummary> parts) => HistogramSummaries.Summarize(Add(parts.Select(p => p.Encoded)));

    /// <summary>The summary of the sum of histograms some parts have (schedule lag, streaming figures); null when none has one.</summary>
    public static HistogramSummary? OfAny(IEnumerable<HistogramSummary?> parts)
    {
        var present = parts.OfType<HistogramSummary>().ToList();
        return present.Count == 0 ? null : HistogramSummaries.SummarizeIfAny(Add(present.Select(p => p.Encoded)));
    }
}

using GrpcLoadLab.LoadGen.Scenarios.Thresholds;
using HdrHistogram;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>Judges a scenario's thresholds on measured totals: a run's own, or the sum of merged agents'.</summary>
public static class ThresholdJudge
{
    /// <param name="thresholds">The scenario's thresholds, as written (validated when it was loaded).</param>
    /// <param name="totals">The measured totals.</param>
    /// <param name="latency">The whole latency histogram of those totals, for any percentile.</param>
    public static IReadOnlyList<ThresholdResult> Judge(IEnumerable<string> thresholds, PhaseStats totals, HistogramBase latency)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(latency);
        var inputs = new ThresholdInputs(
            percentile => latency.TotalCount == 0 ? 0 : latency.GetValueAtPercentile(percentile),
            totals.Latency.Mean,
            totals.Latency.Max,
            totals.Calls.Succeeded,
            totals.Calls.Failed,
            totals.Calls.Dropped,
            totals.CallsPerSecond);
        return [.. thresholds.Select(text =>
        {
            var threshold = Threshold.Parse(text);
            var (actual, passed) = threshold.Evaluate(inputs);
            return new ThresholdResult(threshold.Text, actual, threshold.Unit, passed);
        })];
    }
}

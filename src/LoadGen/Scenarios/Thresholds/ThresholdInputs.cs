namespace GrpcLoadLab.LoadGen.Scenarios.Thresholds;

/// <summary>What thresholds are judged on: the measured (non-warm-up) totals of a run.</summary>
/// <param name="PercentileMicros">Latency at a percentile (0 to 100], in microseconds.</param>
/// <param name="Succeeded">Calls that ended with status OK.</param>
/// <param name="Failed">Calls that ended with any other status.</param>
/// <param name="Dropped">Open model: calls due but not started, because too many were in flight.</param>
public sealed record ThresholdInputs(
    Func<double, long> PercentileMicros,
    double MeanMicros,
    long MaxMicros,
    long Succeeded,
    long Failed,
    long Dropped,
    double CallsPerSecond);

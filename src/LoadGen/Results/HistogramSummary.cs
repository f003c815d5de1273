namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// One latency distribution in microseconds: the usual percentiles for reading, and the whole HdrHistogram encoded
/// (compressed, base64, the standard "HISTF..." form) so that any percentile can be read later and runs merged.
/// </summary>
public sealed record HistogramSummary(
    long Count,
    long Min,
    double Mean,
    long P50,
    long P90,
    long P99,
    long P999,
    long P9999,
    long Max,
    string Encoded);

namespace GrpcLoadLab.LoadGen.Metrics;

/// <summary>Where and how often the live metrics go: <c>loadgen run --otlp-endpoint URL [--otlp-interval D]</c>.</summary>
/// <param name="Endpoint">An OTLP collector, OTLP over gRPC (e.g. http://127.0.0.1:4317).</param>
public sealed record OtlpExportSettings(Uri Endpoint, TimeSpan Interval);

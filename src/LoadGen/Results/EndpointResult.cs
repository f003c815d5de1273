namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// One server instance over the measured phases: the calls it served (by the instance id in the replies), their
/// latency, and the balancer's counters for its address.
/// </summary>
/// <param name="Address">host:port, when known from the balancer.</param>
/// <param name="InstanceId">The id the replies named.</param>
/// <param name="Share">Of all succeeded calls, 0 to 1.</param>
public sealed record EndpointResult(
    string? Address,
    string? InstanceId,
    long Succeeded,
    long Failed,
    double Share,
    HistogramSummary Latency,
    long Picks,
    long RetryAttempts,
    IReadOnlyDictionary<string, long> FailedByStatus);

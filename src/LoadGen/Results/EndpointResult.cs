namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// One server instance over the measured phases, as the run's totals: the calls it served (by the instance id in the
/// replies) and their latency, and the balancer's counts of the attempts those phases' calls sent to its address (a
/// warm-up's attempts are counted apart, and left out). When no call of the run names its instance (a server not the
/// lab's, calls by schema), <see cref="Succeeded"/> is the balancer's count of the attempts answered OK, and there is
/// no latency of its own.
/// </summary>
/// <param name="Address">host:port, when known from the balancer.</param>
/// <param name="InstanceId">The id the replies named, or the server's counters named.</param>
/// <param name="Share">Of the rows' succeeded calls counted the same way, 0 to 1.</param>
/// <param name="Failed">The balancer's count of the attempts that ended with a failure status (the server's, or the transport's).</param>
/// <param name="NoStatus">
/// The balancer's count of the attempts that ended with no status at all: cut off (an instance killed, a connection
/// lost), past their deadline, or cancelled (by the run's end, or a hedge that lost). A killed instance's broken calls
/// show here, not in <see cref="Failed"/>.
/// </param>
public sealed record EndpointResult(
    string? Address,
    string? InstanceId,
    long Succeeded,
    long Failed,
    double Share,
    HistogramSummary Latency,
    long Picks,
    long RetryAttempts,
    IReadOnlyDictionary<string, long> FailedByStatus,
    long NoStatus = 0);

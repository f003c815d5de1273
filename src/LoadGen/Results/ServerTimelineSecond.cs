using System.Text.Json.Serialization;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// One second of one server instance, from its own meters (docs/server-timeline.md names each instrument). Counts
/// "in the second" are of what ended within it; the others are read at its end. Times are in microseconds.
/// </summary>
/// <param name="Index">The instance's own count of its seconds: 0 for its first, then consecutive.</param>
/// <param name="StartSeconds">Where the second began, in seconds from the run's start (negative for a second that began before it).</param>
/// <param name="LengthSeconds">How long it lasted: about one second; an instance's first second is shorter.</param>
/// <param name="InFlight">The lab's calls admitted and not yet ended, at the second's end (working or queued for a capacity slot).</param>
/// <param name="Queued">Of those, the calls waiting for a capacity slot.</param>
/// <param name="Rejected">Calls refused for want of capacity (RESOURCE_EXHAUSTED) in the second.</param>
/// <param name="FaultsFailed">Calls failed on purpose by a fault (SetFault) in the second.</param>
/// <param name="Calls">Calls that ended in the second by kind (<c>unary</c>, <c>server-stream</c>, ...); kinds without any are left out.</param>
/// <param name="FailuresByStatus">Calls that ended with a status other than OK, by status name.</param>
/// <param name="CallDuration">Server-side duration of the calls that ended in the second (from admission, capacity queueing included); null when none ended.</param>
/// <param name="CpuMicros">CPU time the process used in the second, user and system.</param>
/// <param name="ProcessorCount">The cores the instance could use (fewer than the machine's when pinned).</param>
/// <param name="GcPauseMicros">Time the instance's GC paused it in the second.</param>
/// <param name="ThreadPoolThreads">Thread-pool threads at the second's end.</param>
/// <param name="ThreadPoolQueue">Work items waiting in the thread pool's queue at the second's end.</param>
/// <param name="ActiveConnections">Kestrel's open connections at the second's end.</param>
/// <param name="QueuedRequests">HTTP/2 streams Kestrel had received and queued for a thread, not yet started (<c>kestrel.queued_requests</c>), at the second's end.</param>
/// <param name="Draining">True once the instance had begun its graceful stop.</param>
public sealed record ServerTimelineSecond(
    long Index,
    double StartSeconds,
    double LengthSeconds,
    long InFlight,
    long Queued,
    long Rejected,
    long FaultsFailed,
    IReadOnlyDictionary<string, ServerCallCounts> Calls,
    IReadOnlyDictionary<string, long> FailuresByStatus,
    ServerDuration? CallDuration,
    long CpuMicros,
    int ProcessorCount,
    long GcPauseMicros,
    long GcCollections,
    long ThreadPoolThreads,
    long ThreadPoolQueue,
    long WorkingSetBytes,
    long ActiveConnections,
    long QueuedConnections,
    long QueuedRequests,
    long RejectedConnections,
    long ActiveRequests,
    bool Draining)
{
    /// <summary>Where the second ended, in seconds from the run's start.</summary>
    [JsonIgnore]
    public double EndSeconds => StartSeconds + LengthSeconds;

    /// <summary>The lab's calls that ended in the second, every kind and outcome.</summary>
    [JsonIgnore]
    public long Ended => Calls.Values.Sum(c => c.Completed + c.Failed + c.Cancelled);

    /// <summary>Cores the instance kept busy in the second.</summary>
    [JsonIgnore]
    public double CpuCores => LengthSeconds > 0 ? CpuMicros / (LengthSeconds * 1e6) : 0;
}

/// <summary>Calls of one kind that ended in a second.</summary>
public sealed record ServerCallCounts(long Completed, long Failed, long Cancelled);

/// <summary>
/// Server-side durations recorded in a second, in microseconds, with the second's HdrHistogram encoded as the
/// client's are (<see cref="HistogramCodec"/>: compressed, base64), so that seconds and instances can be merged and
/// any percentile read later.
/// </summary>
public sealed record ServerDuration(long Count, long TotalMicros, long MaxMicros, long P50, long P90, long P99, string Encoded)
{
    [JsonIgnore]
    public double MeanMicros => Count > 0 ? (double)TotalMicros / Count : 0;
}

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>The statistics of one phase, or of all measured phases together (the run's totals).</summary>
/// <param name="Seconds">How long the calls were being started (the phase's actual length).</param>
/// <param name="CallsPerSecond">Calls that ended (successfully or not) per second of <paramref name="Seconds"/>.</param>
/// <param name="StatusCodes">Ended calls by gRPC status name (OK, UNAVAILABLE, ...).</param>
/// <param name="Latency">From each call's scheduled start to its end: the user's view, free of coordinated omission.</param>
/// <param name="ServiceTime">From each call's actual start to its end.</param>
/// <param name="ScheduleLag">How late calls actually started against their schedule (open model only).</param>
/// <param name="FirstMessage">Streaming calls: from the actual start to the first reply.</param>
/// <param name="MessageLatency">Bidi: from sending a message to receiving its echo.</param>
/// <param name="InterArrival">Server stream: gaps between replies.</param>
/// <param name="Dispatcher">How the machine treated the dispatcher that kept the schedule (open model only; null in results written before it was recorded).</param>
/// <param name="Failures">Why calls failed, per failed status of <paramref name="StatusCodes"/> (CHECK_FAILED has its example apart); null in results written before it was recorded.</param>
public sealed record PhaseStats(
    double Seconds,
    CallCounts Calls,
    double CallsPerSecond,
    IReadOnlyDictionary<string, long> StatusCodes,
    long BytesSent,
    long BytesReceived,
    long MessagesSent,
    long MessagesReceived,
    HistogramSummary Latency,
    HistogramSummary ServiceTime,
    HistogramSummary? ScheduleLag,
    HistogramSummary? FirstMessage,
    HistogramSummary? MessageLatency,
    HistogramSummary? InterArrival,
    DispatcherFigures? Dispatcher = null,
    IReadOnlyDictionary<string, StatusFailures>? Failures = null)
{
    /// <summary>Failed calls as a share of the calls that ended, 0 to 1.</summary>
    public double ErrorRate => Calls.Ended == 0 ? 0 : (double)Calls.Failed / Calls.Ended;
}

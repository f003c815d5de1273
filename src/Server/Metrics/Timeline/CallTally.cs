using Grpc.Core;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Server.Metrics.Timeline;

/// <summary>
/// The lab's calls within the current second, as <see cref="InstanceCounters"/> counts them: ended calls by kind and
/// outcome with their server-side durations, rejected and fault-failed calls, and every status other than OK. Told
/// each call's kind, outcome and status as numbers at the one place that counts calls, it reads no tags (the
/// <c>lab.server.calls</c> instruments say the same for the exports); its counters and durations are striped
/// (<see cref="StripedCounters"/>, <see cref="SecondDurations"/>), so calls ending on two cores do not contend.
/// </summary>
public sealed class CallTally
{
    private const int Kinds = 4;
    private const int Outcomes = 3;
    private const int StatusCodes = 17;

    // The counters' places: ended calls by kind and outcome, then by status, then the two kinds of refusal.
    private const int ByStatus = Kinds * Outcomes;
    private const int Rejected = ByStatus + StatusCodes;
    private const int FaultFailed = Rejected + 1;

    private readonly StripedCounters _counters = new(FaultFailed + 1);
    private readonly SecondDurations _durations = new();

    internal void Ended(CallKind kind, CallOutcome outcome, StatusCode status, double seconds)
    {
        _counters.Add(((int)kind * Outcomes) + (int)outcome, 1);
        CountStatus(status);
        _durations.Record(SecondDurations.Micros(seconds));
    }

    /// <summary>A call refused for capacity (RESOURCE_EXHAUSTED): no call of its kind, and no duration.</summary>
    internal void RejectedForCapacity()
    {
        _counters.Add(Rejected, 1);
        CountStatus(StatusCode.ResourceExhausted);
    }

    /// <summary>A call failed on purpose by a fault before admission: no call of its kind, and no duration.</summary>
    internal void FailedByFault(StatusCode status)
    {
        _counters.Add(FaultFailed, 1);
        CountStatus(status);
    }

    /// <summary>Moves the second's counts and durations into <paramref name="second"/> and starts the next one at zero.</summary>
    internal void TakeInto(ServerSecond second)
    {
        second.Unary = Take(CallKind.Unary);
        second.ServerStream = Take(CallKind.ServerStream);
        second.ClientStream = Take(CallKind.ClientStream);
        second.Bidi = Take(CallKind.Bidi);
        second.Rejected = _counters.Take(Rejected);
        second.FaultsFailed = _counters.Take(FaultFailed);
        for (var status = 1; status < StatusCodes; status++)
        {
            if (_counters.Take(ByStatus + status) is var count and > 0)
            {
                second.FailuresByStatus[status] = count;
            }
        }

        second.CallDuration = _durations.Take();
    }

    private void CountStatus(StatusCode status)
    {
        if (status != StatusCode.OK && (int)status is >= 0 and < StatusCodes)
        {
            _counters.Add(ByStatus + (int)status, 1);
        }
    }

    private CallKindSecond Take(CallKind kind)
    {
        var at = (int)kind * Outcomes;
        return new CallKindSecond
        {
            Completed = _counters.Take(at + (int)CallOutcome.Completed),
            Failed = _counters.Take(at + (int)CallOutcome.Failed),
            Cancelled = _counters.Take(at + (int)CallOutcome.Cancelled),
        };
    }
}

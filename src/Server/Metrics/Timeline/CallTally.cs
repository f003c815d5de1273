using Grpc.Core;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Server.Metrics.Timeline;

/// <summary>
/// The <c>lab.server.calls</c> counter within the current second, read back from its tags: ended calls by kind and
/// outcome, rejected and fault-failed calls, and every status other than OK.
/// </summary>
internal sealed class CallTally : Aggregation
{
    private const int Kinds = 4;
    private const int Outcomes = 3;
    private const int StatusCodes = 17;

    private readonly long[] _ended = new long[Kinds * Outcomes];
    private readonly long[] _byStatus = new long[StatusCodes];
    private long _rejected;
    private long _faultFailed;

    /// <summary>Moves the second's counts into <paramref name="second"/> and starts the next one at zero.</summary>
    public void TakeInto(ServerSecond second)
    {
        second.Unary = Take(CallKind.Unary);
        second.ServerStream = Take(CallKind.ServerStream);
        second.ClientStream = Take(CallKind.ClientStream);
        second.Bidi = Take(CallKind.Bidi);
        second.Rejected = Interlocked.Exchange(ref _rejected, 0);
        second.FaultsFailed = Interlocked.Exchange(ref _faultFailed, 0);
        for (var status = 1; status < StatusCodes; status++)
        {
            if (Interlocked.Exchange(ref _byStatus[status], 0) is var count and > 0)
            {
                second.FailuresByStatus[status] = count;
            }
        }
    }

    public override void Add(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        int kind = -1, status = (int)StatusCode.OK;
        string? outcome = null;
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case ServerInstruments.KindTag:
                    kind = Array.IndexOf(ServerInstruments.KindNames, tag.Value as string);
                    break;
                case ServerInstruments.OutcomeTag:
                    outcome = tag.Value as string;
                    break;
                case ServerInstruments.StatusTag when tag.Value is int code and >= 0 and < StatusCodes:
                    status = code;
                    break;
            }
        }

        if (status != (int)StatusCode.OK)
        {
            Interlocked.Add(ref _byStatus[status], value);
        }

        switch (outcome)
        {
            case ServerInstruments.Rejected:
                Interlocked.Add(ref _rejected, value);
                break;
            case ServerInstruments.FaultFailed:
                Interlocked.Add(ref _faultFailed, value);
                break;
            default:
                if (kind >= 0 && Array.IndexOf(ServerInstruments.OutcomeNames, outcome) is var ended and >= 0)
                {
                    Interlocked.Add(ref _ended[(kind * Outcomes) + ended], value);
                }

                break;
        }
    }

    public override void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Add((long)value, tags);

    private CallKindSecond Take(CallKind kind)
    {
        var at = (int)kind * Outcomes;
        return new CallKindSecond
        {
            Completed = Interlocked.Exchange(ref _ended[at + (int)CallOutcome.Completed], 0),
            Failed = Interlocked.Exchange(ref _ended[at + (int)CallOutcome.Failed], 0),
            Cancelled = Interlocked.Exchange(ref _ended[at + (int)CallOutcome.Cancelled], 0),
        };
    }
}

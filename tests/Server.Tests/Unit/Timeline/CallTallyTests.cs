using Grpc.Core;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Metrics;
using GrpcLoadLab.Server.Metrics.Timeline;

namespace GrpcLoadLab.Server.Tests.Unit.Timeline;

/// <summary>The timeline's tally of the lab's calls: striped, so it must lose nothing to writers on many threads at once.</summary>
public class CallTallyTests
{
    private const int Writers = 8;
    private const int CallsPerWriter = 20_000;

    [Fact]
    public async Task Calls_ended_on_many_threads_while_seconds_are_taken_are_each_counted_in_exactly_one_second()
    {
        var tally = new CallTally();
        var seconds = new List<ServerSecond>();
        // Each writer stops halfway until a second has been taken: at least one falls between their calls, on any machine.
        using var halfway = new CountdownEvent(Writers);
        using var resume = new ManualResetEventSlim();
        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(() =>
        {
            for (var call = 0; call < CallsPerWriter; call++)
            {
                if (call == CallsPerWriter / 2)
                {
                    halfway.Signal();
                    resume.Wait(TestServer.Patience);
                }

                Record(tally, writer, call);
            }
        })).ToArray();

        Assert.True(halfway.Wait(TestServer.Patience), "the writers did not reach halfway");
        seconds.Add(Take(tally));
        resume.Set();
        // Seconds closed while the writers run, as the timeline's loop does, then one more for what came after the last.
        while (!writers.All(w => w.IsCompleted))
        {
            seconds.Add(Take(tally));
            await Task.Delay(1);
        }

        await Task.WhenAll(writers);
        seconds.Add(Take(tally));

        // The same calls on one thread, in one second.
        var reference = new CallTally();
        for (var writer = 0; writer < Writers; writer++)
        {
            for (var call = 0; call < CallsPerWriter; call++)
            {
                Record(reference, writer, call);
            }
        }

        var expected = Take(reference);
        // The first second holds the writers' first halves exactly; the rest fell into the seconds after it.
        Assert.Equal(Writers * CallsPerWriter / 2, Calls(seconds[0]));
        Assert.Equal(expected.Unary, Sum(seconds, s => s.Unary));
        Assert.Equal(expected.ServerStream, Sum(seconds, s => s.ServerStream));
        Assert.Equal(expected.ClientStream, Sum(seconds, s => s.ClientStream));
        Assert.Equal(expected.Bidi, Sum(seconds, s => s.Bidi));
        Assert.Equal(expected.Rejected, seconds.Sum(s => s.Rejected));
        Assert.Equal(expected.FaultsFailed, seconds.Sum(s => s.FaultsFailed));
        Assert.Equal(
            expected.FailuresByStatus.OrderBy(f => f.Key),
            seconds.SelectMany(s => s.FailuresByStatus).GroupBy(f => f.Key, f => f.Value).Select(g => KeyValuePair.Create(g.Key, g.Sum())).OrderBy(f => f.Key));
        Assert.Equal(expected.CallDuration.Count, seconds.Sum(s => s.CallDuration.Count));
        Assert.Equal(expected.CallDuration.TotalMicros, seconds.Sum(s => s.CallDuration.TotalMicros));
        // Every call of the writers is somewhere: the four kinds' ended calls, plus the refusals.
        Assert.Equal(Writers * CallsPerWriter, seconds.Sum(Calls));
    }

    [Fact]
    public void A_second_counts_each_kind_outcome_and_status_where_it_belongs()
    {
        var tally = new CallTally();
        tally.Ended(CallKind.Unary, CallOutcome.Completed, StatusCode.OK, 0.002);
        tally.Ended(CallKind.Unary, CallOutcome.Completed, StatusCode.OK, 0.004);
        tally.Ended(CallKind.Bidi, CallOutcome.Failed, StatusCode.InvalidArgument, 0.001);
        tally.Ended(CallKind.ServerStream, CallOutcome.Cancelled, StatusCode.Cancelled, 1.5);
        tally.RejectedForCapacity();
        tally.FailedByFault(StatusCode.Unavailable);

        var second = Take(tally);

        Assert.Equal(new CallKindSecond { Completed = 2 }, second.Unary);
        Assert.Equal(new CallKindSecond { Failed = 1 }, second.Bidi);
        Assert.Equal(new CallKindSecond { Cancelled = 1 }, second.ServerStream);
        Assert.Equal(new CallKindSecond(), second.ClientStream);
        Assert.Equal(1, second.Rejected);
        Assert.Equal(1, second.FaultsFailed);
        Assert.Equal(
            new Dictionary<int, long>
            {
                [(int)StatusCode.InvalidArgument] = 1,
                [(int)StatusCode.Cancelled] = 1,
                [(int)StatusCode.ResourceExhausted] = 1,
                [(int)StatusCode.Unavailable] = 1,
            }.OrderBy(f => f.Key),
            second.FailuresByStatus.OrderBy(f => f.Key));
        // Only the admitted calls have a duration.
        Assert.Equal(4, second.CallDuration.Count);
        Assert.Equal(2_000 + 4_000 + 1_000 + 1_500_000, second.CallDuration.TotalMicros);

        var next = Take(tally);
        Assert.Equal(0, Ended(next.Unary) + next.Rejected + next.FaultsFailed + next.CallDuration.Count);
        Assert.Empty(next.FailuresByStatus);
    }

    /// <summary>Call <paramref name="call"/> of writer <paramref name="writer"/>: every kind, outcome and refusal in turn.</summary>
    private static void Record(CallTally tally, int writer, int call)
    {
        var kind = (CallKind)(call % 4);
        var seconds = ((writer * 1_000) + (call % 997)) / 1e6;
        switch ((call / 4) % 6)
        {
            case 0 or 1 or 2:
                tally.Ended(kind, CallOutcome.Completed, StatusCode.OK, seconds);
                break;
            case 3:
                tally.Ended(kind, CallOutcome.Failed, (StatusCode)(1 + (call % 16)), seconds);
                break;
            case 4:
                tally.Ended(kind, CallOutcome.Cancelled, StatusCode.Cancelled, seconds);
                break;
            default:
                if (call % 2 == 0)
                {
                    tally.RejectedForCapacity();
                }
                else
                {
                    tally.FailedByFault((StatusCode)(1 + (call % 16)));
                }

                break;
        }
    }

    private static ServerSecond Take(CallTally tally)
    {
        var second = new ServerSecond();
        tally.TakeInto(second);
        return second;
    }

    private static long Ended(CallKindSecond calls) => calls.Completed + calls.Failed + calls.Cancelled;

    /// <summary>Every call the second counted: the four kinds' ended calls, and the refusals.</summary>
    private static long Calls(ServerSecond s) => Ended(s.Unary) + Ended(s.ServerStream) + Ended(s.ClientStream) + Ended(s.Bidi) + s.Rejected + s.FaultsFailed;

    private static CallKindSecond Sum(IEnumerable<ServerSecond> seconds, Func<ServerSecond, CallKindSecond> kind) => new()
    {
        Completed = seconds.Sum(s => kind(s).Completed),
        Failed = seconds.Sum(s => kind(s).Failed),
        Cancelled = seconds.Sum(s => kind(s).Cancelled),
    };
}

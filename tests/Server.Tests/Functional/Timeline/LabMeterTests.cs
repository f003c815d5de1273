using Google.Protobuf;
using Grpc.Core;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Metrics;

namespace GrpcLoadLab.Server.Tests.Functional.Timeline;

/// <summary>The GrpcLoadLab.Server meter, read with a MeterListener while real calls reach a real instance.</summary>
public class LabMeterTests
{
    private const string Kind = ServerInstruments.KindTag;
    private const string Outcome = ServerInstruments.OutcomeTag;
    private const string Status = ServerInstruments.StatusTag;

    [Fact]
    public async Task Calls_are_counted_by_kind_outcome_and_status_and_their_durations_recorded()
    {
        await using var server = await TestServer.StartAsync();
        using var meter = new InstanceMeterReading(server);

        for (var i = 0; i < 3; i++)
        {
            await server.Client.UnaryAsync(new WorkRequest(), cancellationToken: server.Timeout);
        }

        await server.Client.UnaryAsync(new WorkRequest { DelayMicros = 50_000 }, cancellationToken: server.Timeout);
        for (var i = 0; i < 2; i++)
        {
            using var stream = server.Client.ServerStream(new WorkRequest { ReplyCount = 2 }, cancellationToken: server.Timeout);
            await stream.ResponseStream.ReadAllAsync(server.Timeout).ToListAsync(server.Timeout);
        }

        using (var clientStream = server.Client.ClientStream(cancellationToken: server.Timeout))
        {
            await clientStream.RequestStream.WriteAsync(new WorkRequest { Payload = ByteString.CopyFrom(new byte[8]) }, server.Timeout);
            await clientStream.RequestStream.CompleteAsync();
            await clientStream;
        }

        using (var bidi = server.Client.Bidi(cancellationToken: server.Timeout))
        {
            await bidi.RequestStream.WriteAsync(new WorkRequest(), server.Timeout);
            await bidi.RequestStream.CompleteAsync();
            await bidi.ResponseStream.ReadAllAsync(server.Timeout).ToListAsync(server.Timeout);
        }

        // Refused after admission, for asking more work than the server allows: a failed call with its status.
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            server.Client.UnaryAsync(new WorkRequest { DelayMicros = -1 }, cancellationToken: server.Timeout).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);

        const string Calls = ServerInstruments.CallsName;
        Assert.Equal(4, meter.Sum(Calls, (Kind, "unary"), (Outcome, "completed"), (Status, 0)));
        Assert.Equal(2, meter.Sum(Calls, (Kind, "server_stream"), (Outcome, "completed")));
        Assert.Equal(1, meter.Sum(Calls, (Kind, "client_stream"), (Outcome, "completed")));
        Assert.Equal(1, meter.Sum(Calls, (Kind, "bidi"), (Outcome, "completed")));
        Assert.Equal(1, meter.Sum(Calls, (Kind, "unary"), (Outcome, "failed"), (Status, (int)StatusCode.InvalidArgument)));
        Assert.Equal(9, meter.Sum(Calls));

        // One duration per admitted call, in seconds; the delayed call took at least its delay.
        var durations = meter.Of(ServerInstruments.CallDurationName);
        Assert.Equal(9, durations.Count);
        Assert.All(durations, d => Assert.InRange(d.Value, 0, 60));
        Assert.Contains(durations, d => d.Value >= 0.05 && Equals(d.Tags[Kind], "unary"));
        Assert.Equal(4, meter.Of(ServerInstruments.CallDurationName, (Kind, "unary"), (Outcome, "completed")).Count);

        // Every call that became active ended: the up-down counter is back at zero, as GetStats' in_flight.
        Assert.Equal(9, meter.Of(ServerInstruments.ActiveCallsName).Count(m => m.Value == 1));
        Assert.Equal(0, meter.Sum(ServerInstruments.ActiveCallsName));
        var stats = await server.GetStatsAsync();
        Assert.Equal(0, stats.InFlight);
        Assert.Equal(4, stats.Unary.Completed);
        Assert.Equal(1, stats.Unary.Failed);
    }

    [Fact]
    public async Task Calls_refused_for_capacity_or_failed_by_a_fault_are_counted_with_their_status_and_no_duration()
    {
        await using var server = await TestServer.StartAsync(capacity: 1, queueLimit: 0, configure: o => o.AllowFaults = true);
        using var meter = new InstanceMeterReading(server);
        using var holder = new CancellationTokenSource();
        var holding = server.Client.UnaryAsync(new WorkRequest { DelayMicros = 60_000_000 }, cancellationToken: holder.Token).ResponseAsync;
        await server.WaitForStatsAsync(s => s.InFlight == 1, "the first call to hold the only slot");

        var rejected = await Assert.ThrowsAsync<RpcException>(() => server.Client.UnaryAsync(new WorkRequest(), cancellationToken: server.Timeout).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, rejected.StatusCode);
        await holder.CancelAsync();
        await Assert.ThrowsAsync<RpcException>(() => holding);
        await server.WaitForStatsAsync(s => s.InFlight == 0, "the held call to end");

        await server.Client.SetFaultAsync(new FaultRequest { FailureRatio = 1, FailureStatus = (int)StatusCode.Unavailable }, cancellationToken: server.Timeout);
        var failed = await Assert.ThrowsAsync<RpcException>(() => server.Client.UnaryAsync(new WorkRequest(), cancellationToken: server.Timeout).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, failed.StatusCode);

        const string Calls = ServerInstruments.CallsName;
        Assert.Equal(1, meter.Sum(Calls, (Kind, "unary"), (Outcome, ServerInstruments.Rejected), (Status, (int)StatusCode.ResourceExhausted)));
        Assert.Equal(1, meter.Sum(Calls, (Kind, "unary"), (Outcome, ServerInstruments.FaultFailed), (Status, (int)StatusCode.Unavailable)));
        Assert.Equal(1, meter.Sum(Calls, (Kind, "unary"), (Outcome, "cancelled"), (Status, (int)StatusCode.Cancelled)));
        // Only the admitted (held, then cancelled) call has a duration.
        Assert.Single(meter.Of(ServerInstruments.CallDurationName));
        Assert.Equal(0, meter.Sum(ServerInstruments.ActiveCallsName));
        var stats = await server.GetStatsAsync();
        Assert.Equal(1, stats.Rejected);
        Assert.Equal(1, stats.FaultsFailed);
        Assert.Equal(1, stats.Unary.Cancelled);
    }
}

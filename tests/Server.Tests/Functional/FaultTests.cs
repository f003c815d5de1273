using System.Diagnostics;
using Grpc.Core;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Server.Tests.Functional;

/// <summary>
/// Behaviour faults (SetFault): refused unless the server allows them; with --allow-faults, an exact share of calls fails
/// with the chosen status before any work, and an extra delay holds every call, within its deadline.
/// </summary>
public class FaultTests
{
    private static readonly FaultRequest AllFail = new() { FailureRatio = 1, FailureStatus = (int)StatusCode.Unavailable };

    [Fact]
    public async Task SetFault_is_refused_with_failed_precondition_without_allow_faults_and_changes_nothing()
    {
        await using var server = await TestServer.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.SetFaultAsync(AllFail, cancellationToken: server.Timeout).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("faults are off: start the server with --allow-faults", error.Status.Detail);
        await server.Client.UnaryAsync(new WorkRequest(), cancellationToken: server.Timeout);
        var stats = await server.GetStatsAsync();
        Assert.False(stats.FaultActive);
        Assert.Equal(0, stats.FaultsFailed);
        Assert.Equal(1, stats.Unary.Completed);
    }

    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.InvalidArgument)]
    public async Task A_failure_ratio_of_30_percent_fails_exactly_30_of_100_calls_with_the_chosen_status(StatusCode status)
    {
        await using var server = await AllowingFaultsAsync();

        var state = await server.Client.SetFaultAsync(
            new FaultRequest { FailureRatio = 0.3, FailureStatus = (int)status }, cancellationToken: server.Timeout);
        Assert.True(state.Active);
        Assert.Equal(0.3, state.FailureRatio);
        Assert.Equal((int)status, state.FailureStatus);

        var failures = new List<Status>();
        for (var call = 0; call < 100; call++)
        {
            try
            {
                await server.Client.UnaryAsync(new WorkRequest(), cancellationToken: server.Timeout);
            }
            catch (RpcException e)
            {
                failures.Add(e.Status);
            }
        }

        Assert.Equal(30, failures.Count);
        Assert.All(failures, f => Assert.Equal(status, f.StatusCode));
        Assert.All(failures, f => Assert.Contains("on purpose", f.Detail, StringComparison.Ordinal));
        var stats = await server.GetStatsAsync();
        Assert.True(stats.FaultActive);
        Assert.Equal(30, stats.FaultsFailed);
        // Failed before admission: counted as faults only, not as calls of their kind.
        Assert.Equal(70, stats.Unary.Completed);
        Assert.Equal(0, stats.Unary.Failed + stats.Unary.Cancelled);
        Assert.Equal(0, stats.InFlight);
        Assert.Equal(30, (await server.Client.SetFaultAsync(new FaultRequest(), cancellationToken: server.Timeout)).CallsFailed);
    }

    [Fact]
    public async Task An_extra_delay_makes_every_call_take_at_least_that_long()
    {
        await using var server = await AllowingFaultsAsync();
        var delay = TimeSpan.FromMilliseconds(200);
        await server.Client.SetFaultAsync(
            new FaultRequest { ExtraDelayMicros = (long)delay.TotalMicroseconds }, cancellationToken: server.Timeout);

        var started = Stopwatch.GetTimestamp();
        await server.Client.UnaryAsync(new WorkRequest(), cancellationToken: server.Timeout);
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.True(elapsed >= delay, $"the call took {elapsed.TotalMilliseconds} ms, less than the {delay.TotalMilliseconds} ms delay");
        var stats = await server.GetStatsAsync();
        Assert.Equal(1, stats.FaultsDelayed);
        Assert.Equal(1, stats.Unary.Completed);
    }

    [Fact]
    public async Task A_deadline_shorter_than_the_extra_delay_ends_with_deadline_exceeded_and_frees_the_call()
    {
        await using var server = await AllowingFaultsAsync();
        // An hour: a server that ignored the deadline could not pass by waiting the delay out.
        await server.Client.SetFaultAsync(
            new FaultRequest { ExtraDelayMicros = (long)TimeSpan.FromHours(1).TotalMicroseconds }, cancellationToken: server.Timeout);

        var stats = await PastDeadlineCall.SendAsync(server, new WorkRequest());

        PastDeadlineCall.AssertEveryCallCancelled(stats.Unary);
        Assert.Equal(0, stats.InFlight);
        Assert.Equal(stats.Unary.Cancelled, stats.FaultsDelayed);
    }

    [Fact]
    public async Task A_fault_with_a_duration_clears_itself()
    {
        await using var server = await AllowingFaultsAsync();

        var state = await server.Client.SetFaultAsync(
            new FaultRequest { FailureRatio = 1, FailureStatus = (int)StatusCode.Unavailable, DurationMicros = 200_000 },
            cancellationToken: server.Timeout);

        Assert.True(state.Active);
        Assert.Equal(200_000, state.DurationMicros);
        await server.WaitForStatsAsync(s => !s.FaultActive, "the fault to clear itself after its duration");
        await server.Client.UnaryAsync(new WorkRequest(), cancellationToken: server.Timeout);
    }

    [Fact]
    public async Task Sending_all_zeros_clears_the_fault_and_keeps_the_counters()
    {
        await using var server = await AllowingFaultsAsync();
        await server.Client.SetFaultAsync(AllFail, cancellationToken: server.Timeout);
        var failed = await Assert.ThrowsAsync<RpcException>(() =>
            server.Client.UnaryAsync(new WorkRequest(), cancellationToken: server.Timeout).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, failed.StatusCode);

        var state = await server.Client.SetFaultAsync(new FaultRequest(), cancellationToken: server.Timeout);

        Assert.False(state.Active);
        Assert.Equal(0, state.FailureRatio);
        Assert.Equal(1, state.CallsFailed);
        await server.Client.UnaryAsync(new WorkRequest(), cancellationToken: server.Timeout);
        var stats = await server.GetStatsAsync();
        Assert.False(stats.FaultActive);
        Assert.Equal(1, stats.FaultsFailed);
        Assert.Equal(1, stats.Unary.Completed);
    }

    [Fact]
    public async Task Every_streaming_kind_fails_under_a_fault_that_fails_every_call()
    {
        await using var server = await AllowingFaultsAsync();
        await server.Client.SetFaultAsync(AllFail, cancellationToken: server.Timeout);

        using var serverStream = server.Client.ServerStream(new WorkRequest { ReplyCount = 3 }, cancellationToken: server.Timeout);
        var serverStreamError = await Assert.ThrowsAsync<RpcException>(() => serverStream.ResponseStream.MoveNext(server.Timeout));
        using var clientStream = server.Client.ClientStream(cancellationToken: server.Timeout);
        var clientStreamError = await Assert.ThrowsAsync<RpcException>(() => clientStream.ResponseAsync);
        using var bidi = server.Client.Bidi(cancellationToken: server.Timeout);
        var bidiError = await Assert.ThrowsAsync<RpcException>(() => bidi.ResponseStream.MoveNext(server.Timeout));

        Assert.All([serverStreamError, clientStreamError, bidiError], e => Assert.Equal(StatusCode.Unavailable, e.StatusCode));
        var stats = await server.GetStatsAsync();
        Assert.Equal(3, stats.FaultsFailed);
        Assert.Equal(0, stats.InFlight);
        Assert.Equal(0, stats.ServerStream.MessagesSent + stats.ClientStream.MessagesReceived + stats.Bidi.MessagesReceived);
    }

    [Theory]
    [InlineData(-1, 0, 0, 0, "extra_delay_micros")]
    [InlineData(3_600_000_001, 0, 0, 0, "extra_delay_micros")]
    [InlineData(0, 1.5, 14, 0, "failure_ratio")]
    [InlineData(0, double.NaN, 14, 0, "failure_ratio")]
    [InlineData(0, 0.5, 0, 0, "failure_status")]
    [InlineData(0, 0.5, 17, 0, "failure_status")]
    [InlineData(0, 0.5, 14, -1, "duration_micros")]
    [InlineData(long.MaxValue, 0, 0, 0, "extra_delay_micros")]
    [InlineData(long.MinValue, 0, 0, 0, "extra_delay_micros")]
    [InlineData(0, double.PositiveInfinity, 14, 0, "failure_ratio")]
    [InlineData(0, -0.1, 14, 0, "failure_ratio")]
    [InlineData(0, 0.5, -1, 0, "failure_status")]
    [InlineData(0, 0.5, int.MaxValue, 0, "failure_status")]
    [InlineData(0, 0.5, 14, long.MaxValue, "duration_micros")]
    public async Task A_fault_out_of_range_is_refused_with_invalid_argument_naming_the_field(
        long extraDelayMicros, double failureRatio, int failureStatus, long durationMicros, string field)
    {
        await using var server = await AllowingFaultsAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.SetFaultAsync(
            new FaultRequest
            {
                ExtraDelayMicros = extraDelayMicros,
                FailureRatio = failureRatio,
                FailureStatus = failureStatus,
                DurationMicros = durationMicros,
            },
            cancellationToken: server.Timeout).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(field, error.Status.Detail, StringComparison.Ordinal);
        Assert.False((await server.GetStatsAsync()).FaultActive);
    }

    private static Task<TestServer> AllowingFaultsAsync() => TestServer.StartAsync(configure: o => o.AllowFaults = true);
}

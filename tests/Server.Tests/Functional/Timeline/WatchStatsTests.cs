using Grpc.Core;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Metrics.Timeline;

namespace GrpcLoadLab.Server.Tests.Functional.Timeline;

/// <summary>WatchStats: a real client follows a real instance's timeline while load runs.</summary>
public class WatchStatsTests
{
    [Fact]
    public async Task A_watcher_receives_consecutive_seconds_whose_counts_add_up_to_GetStats_while_load_runs()
    {
        await using var server = await TestServer.StartAsync();
        // From the instance's first second: everything it counted is in the seconds received.
        using var watcher = new StatsWatcher(server, recentSeconds: ServerTimeline.KeptSeconds);

        using var load = UnaryLoad.Start(server.Client, new WorkRequest { DelayMicros = 2_000 }, workers: 8, maxCallsPerWorker: 1_000, maxDuration: TimeSpan.FromSeconds(20));
        await load.Completion;
        Assert.Empty(load.Failures);
        var stats = await server.GetStatsAsync();
        Assert.Equal(load.Succeeded, stats.Unary.Completed);

        // Until a second ends with every call counted and nothing open but the watch itself.
        await watcher.WaitForAsync(
            s => s.Sum(x => x.Unary.Completed) == stats.Unary.Completed && s[^1].ActiveRequests == 1,
            $"the seconds to add up to {stats.Unary.Completed} unary calls, with only the watch open");
        var seconds = watcher.Seconds.ToList();

        // One message a second, none missing: consecutive indexes, each second starting where the one before ended.
        Assert.Equal(Enumerable.Range(0, seconds.Count).Select(i => (long)i), seconds.Select(s => s.Index));
        for (var i = 1; i < seconds.Count; i++)
        {
            Assert.Equal(seconds[i - 1].StartUnixMicros + seconds[i - 1].LengthMicros, seconds[i].StartUnixMicros);
        }

        Assert.All(seconds, s => Assert.True(s.LengthMicros > 0, $"second {s.Index} lasted {s.LengthMicros} µs"));
        Assert.All(seconds, s => Assert.Equal($"server-{server.Port}", s.InstanceId));
        // The seconds are the wall clock's: the first began when the instance started, just before this test's calls.
        var firstStart = DateTimeOffset.UnixEpoch.AddTicks(seconds[0].StartUnixMicros * TimeSpan.TicksPerMicrosecond);
        Assert.InRange(firstStart, DateTimeOffset.UtcNow - TestServer.Patience, DateTimeOffset.UtcNow);

        // Every call counted once, with its server-side duration; nothing failed, and the load was seen in flight.
        Assert.Equal(stats.Unary.Completed, seconds.Sum(s => s.CallDuration.Count));
        Assert.All(seconds, s => Assert.Equal(0, s.Unary.Failed + s.Unary.Cancelled + s.Rejected));
        Assert.All(seconds, s => Assert.Empty(s.FailuresByStatus));
        Assert.Contains(seconds, s => s.CallDuration.Count > 0 && s.CallDuration.P50Micros >= 2_000 && s.CallDuration.MaxMicros >= s.CallDuration.P99Micros && !s.CallDuration.Histogram.IsEmpty);
        Assert.Contains(seconds, s => s.InFlight > 0);
        Assert.All(seconds, s => Assert.Equal(Environment.ProcessorCount, s.ProcessorCount));
        Assert.True(seconds.Sum(s => s.CpuMicros) > 0, "the process used no CPU time in any second");
        Assert.All(seconds, s => Assert.True(s.ThreadPoolThreads >= 1 && s.WorkingSetBytes > 0, $"second {s.Index}: {s}"));
        // The requests served: the load's calls in flight, and this watch once it had begun (the recent seconds sent
        // first closed before it); at the end the watch alone.
        Assert.All(seconds, s => Assert.InRange(s.ActiveRequests - s.InFlight, 0, 1));
        Assert.Equal(1, seconds[^1].ActiveRequests);
        Assert.Equal(1, seconds[^1].ActiveConnections);
        Assert.Equal(0, seconds[^1].InFlight);
    }

    [Fact]
    public async Task The_stream_ends_when_the_watcher_cancels_and_the_instance_stops_sending_to_it()
    {
        await using var server = await TestServer.StartAsync();
        var cancelled = new StatsWatcher(server);
        await cancelled.WaitForAsync(s => s.Count >= 1, "a first second");

        await cancelled.CancelAsync();

        Assert.Equal(StatusCode.Cancelled, (await cancelled.Ended).StatusCode);
        cancelled.Dispose();
        // The instance let it go: a second watcher sees one HTTP request open at a second's end, its own.
        using var second = new StatsWatcher(server);
        await second.WaitForAsync(s => s.Any(x => x.ActiveRequests == 1), "a second with only the new watch open");
    }

    [Fact]
    public async Task A_watcher_arriving_while_calls_run_sees_them_in_flight_and_among_the_requests_served()
    {
        const int Held = 3;
        await using var server = await TestServer.StartAsync();
        using var holder = CancellationTokenSource.CreateLinkedTokenSource(server.Timeout);
        var holding = Enumerable.Range(0, Held)
            .Select(_ => server.Client.UnaryAsync(new WorkRequest { DelayMicros = 60_000_000 }, cancellationToken: holder.Token).ResponseAsync)
            .ToList();
        await server.WaitForStatsAsync(s => s.InFlight == Held, $"{Held} calls in flight");

        // The calls began before anyone watched: a count kept only from the watch's start would miss them.
        using var watcher = new StatsWatcher(server);
        await watcher.WaitForAsync(s => s.Count >= 2, "two seconds while the calls are held");

        Assert.All(watcher.Seconds, s => Assert.Equal(Held, s.InFlight));
        Assert.All(watcher.Seconds, s => Assert.Equal(Held + 1, s.ActiveRequests));
        await holder.CancelAsync();
        foreach (var call in holding)
        {
            await Assert.ThrowsAsync<RpcException>(() => call);
        }

        await watcher.WaitForAsync(s => s[^1].InFlight == 0 && s[^1].ActiveRequests == 1, "a second with only the watch open");
    }

    [Fact]
    public async Task The_stream_ends_with_OK_when_the_instance_drains()
    {
        await using var server = await TestServer.StartAsync();
        using var watcher = new StatsWatcher(server);
        await watcher.WaitForAsync(s => s.Count >= 1, "a first second");

        await server.StopAsync();

        Assert.Equal(StatusCode.OK, (await watcher.Ended).StatusCode);
    }

    [Fact]
    public async Task A_watch_is_no_call_of_the_lab_and_neither_the_capacity_limit_nor_a_fault_refuses_it()
    {
        await using var server = await TestServer.StartAsync(capacity: 1, queueLimit: 0, configure: o => o.AllowFaults = true);
        using var holder = new CancellationTokenSource();
        var holding = server.Client.UnaryAsync(new WorkRequest { DelayMicros = 60_000_000 }, cancellationToken: holder.Token).ResponseAsync;
        await server.WaitForStatsAsync(s => s.InFlight == 1, "the first call to hold the only slot");
        await server.Client.SetFaultAsync(new FaultRequest { FailureRatio = 1, FailureStatus = (int)StatusCode.Unavailable }, cancellationToken: server.Timeout);

        using var watcher = new StatsWatcher(server);
        await watcher.WaitForAsync(s => s.Count >= 2, "two seconds while the instance is full and failing every call");

        Assert.All(watcher.Seconds, s => Assert.Equal(1, s.InFlight));
        var stats = await server.GetStatsAsync();
        Assert.Equal(1, stats.InFlight);
        Assert.Equal(0, stats.Rejected + stats.FaultsFailed);
        Assert.Equal(0, stats.ServerStream.Completed + stats.ServerStream.Failed + stats.ServerStream.Cancelled);
        await holder.CancelAsync();
        await Assert.ThrowsAsync<RpcException>(() => holding);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(301)]
    public async Task Recent_seconds_out_of_range_are_refused_with_INVALID_ARGUMENT(int recentSeconds)
    {
        await using var server = await TestServer.StartAsync();
        using var watcher = new StatsWatcher(server, recentSeconds);

        var status = await watcher.Ended;

        Assert.Equal(StatusCode.InvalidArgument, status.StatusCode);
        Assert.Contains("recent_seconds", status.Detail, StringComparison.Ordinal);
    }
}

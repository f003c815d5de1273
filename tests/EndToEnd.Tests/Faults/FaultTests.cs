extern alias LoadGen;

using Grpc.Net.Client;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.EndToEnd.Tests.Fleet;
using LoadGen::GrpcLoadLab.LoadGen.Results;
using static GrpcLoadLab.EndToEnd.Tests.Faults.FaultRun;

namespace GrpcLoadLab.EndToEnd.Tests.Faults;

/// <summary>
/// The outcomes docs/faults.md promises, each from a short scenario whose faults loadgen carries out itself, read from
/// its result.json: counts and statuses, never timings.
/// </summary>
public class FaultTests
{
    private static readonly string[] Unavailable = ["OK", "UNAVAILABLE"];

    [Fact]
    public async Task A_killed_instance_fails_only_calls_in_flight_with_unavailable_and_serves_nothing_after()
    {
        await using var fleet = await StartFleetAsync();

        var result = await RunAsync(fleet, "kill-one", 5, "", Fault("kill", 2, 2));

        var kill = result.Faults[0];
        Assert.All(result.Totals.StatusCodes.Keys, status => Assert.Contains(status, Unavailable));
        // The balancer drops the dead instance within about a second: no failure after that.
        Assert.All(SecondsAfter(result, kill, 2), s => Assert.True(s.Failed == 0, $"second {s.Second}: {s.Failed} failed"));
        Assert.All(SecondsAfter(result, kill, 1), s => Assert.Equal(0, s.Endpoints.GetValueOrDefault(kill.Address!)?.Succeeded ?? 0));
        Assert.NotEmpty(SecondsAfter(result, kill, 2));
    }

    [Fact]
    public async Task With_retries_a_killed_instance_fails_no_call_and_the_retries_are_counted()
    {
        await using var fleet = await StartFleetAsync();

        var result = await RunAsync(fleet, "kill-one-retry", 4, "\"target\": {\"retry\": \"retry\"}", Fault("kill", 2, 2));

        Assert.True(Failed(result) == 0, Describe(result));
        Assert.True(result.Endpoints.Sum(e => e.RetryAttempts) > 0, "the calls in flight on the killed instance were retried");
    }

    [Fact]
    public async Task A_graceful_stop_of_one_instance_fails_no_call()
    {
        await using var fleet = await StartFleetAsync();
        var pid = fleet.ReadPids()[2];

        var result = await RunAsync(fleet, "terminate-one", 4, "", Fault("terminate", 2, 2));

        Assert.True(Failed(result) == 0, Describe(result));
        Assert.False(LabFleet.IsServerRunning(pid), "the instance drained and exited");
    }

    [Fact]
    public async Task A_killed_and_restarted_instance_serves_calls_again()
    {
        await using var fleet = await StartFleetAsync();

        // A restart waits until the instance is SERVING, which takes seconds on a busy machine: the load goes on long after.
        var result = await RunAsync(fleet, "restart-one", 10, "", Fault("kill", 2, 2), Fault("restart", 2, 2.5));

        var restart = result.Faults[1];
        Assert.True(restart.DoneSeconds < result.Timeline.Count - 1, $"the restart was done at {restart.DoneSeconds}s, too late to see it serve");
        Assert.True(SecondsAfter(result, restart, 0).Sum(s => s.Endpoints.GetValueOrDefault(restart.Address!)?.Succeeded ?? 0) > 0);
        Assert.Contains(result.Endpoints, e => e.Address == restart.Address && e.InstanceId is not null && e.Succeeded > 0);
    }

    [Fact]
    public async Task Invalid_argument_failures_pass_through_and_are_not_retried()
    {
        await using var fleet = await StartFleetAsync();

        var result = await RunAsync(
            fleet, "fail-invalid-argument", 3, "\"target\": {\"retry\": \"retry\"}", Fault("fail", 2, 1, ", \"ratio\": 1, \"status\": \"INVALID_ARGUMENT\""));

        Assert.Equal(["INVALID_ARGUMENT", "OK"], result.Totals.StatusCodes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, result.Endpoints.Sum(e => e.RetryAttempts));
        var failing = Assert.Single(result.Endpoints, e => e.Address == result.Faults[0].Address);
        Assert.Equal(["INVALID_ARGUMENT"], failing.FailedByStatus.Keys);
    }

    [Fact]
    public async Task With_retries_most_calls_succeed_past_an_instance_failing_every_call_and_attempts_stay_bounded()
    {
        await using var fleet = await StartFleetAsync();

        var result = await RunAsync(
            fleet, "fail-unavailable-retry", 3, "\"target\": {\"retry\": \"retry\"}", Fault("fail", 2, 1, ", \"ratio\": 1, \"status\": \"UNAVAILABLE\""));

        var calls = result.Totals.Calls;
        Assert.True(calls.Succeeded > 3 * calls.Failed, $"{calls.Succeeded} succeeded, {calls.Failed} failed");
        Assert.True(result.Endpoints.Sum(e => e.RetryAttempts) > 0);
        // No retry storm: at most maxAttempts (3, the balancer's default) attempts a call, both of the measured phases.
        var attempts = result.Endpoints.Sum(e => e.Picks);
        Assert.True(attempts <= 3 * calls.Started, $"{attempts} attempts for {calls.Started} calls");
    }

    [Fact]
    public async Task Round_robin_keeps_sending_a_slow_instance_its_third_and_least_outstanding_sends_it_clearly_fewer()
    {
        await using var fleet = await StartFleetAsync();
        var slow = Fault("slow", 3, 0, ", \"delay\": \"400ms\"");

        var roundRobin = ShareOfAttempts(await RunAsync(fleet, "slow-one", 4, "", slow));
        var leastOutstanding = ShareOfAttempts(await RunAsync(fleet, "slow-one-least-outstanding", 4, "\"target\": {\"policy\": \"least_outstanding\"}", slow));

        Assert.True(roundRobin > 0.28, $"round robin sent the slow instance {roundRobin:P1} of the attempts");
        Assert.True(leastOutstanding < 0.25, $"least outstanding sent the slow instance {leastOutstanding:P1} of the attempts");
    }

    [Fact]
    public async Task With_every_instance_down_calls_fail_and_the_run_fails_its_error_threshold()
    {
        await using var fleet = await StartFleetAsync();

        var result = await RunAsync(
            fleet, "all-down", 3, "\"thresholds\": [\"errors < 1%\"]", Fault("kill", 1, 2), Fault("kill", 2, 2), Fault("kill", 3, 2));

        Assert.True(result.Totals.Calls.Failed > 0);
        Assert.All(result.Totals.StatusCodes.Keys, status => Assert.Contains(status, (string[])["OK", "UNAVAILABLE", "DEADLINE_EXCEEDED"]));
        Assert.False(result.Verdict.ThresholdsPassed);
        Assert.False(Assert.Single(result.Verdict.Thresholds).Passed);
    }

    [Fact]
    public async Task At_twice_the_capacity_the_servers_shed_the_excess_with_resource_exhausted_and_stay_bounded()
    {
        await using var fleet = await StartFleetAsync(DocsCapacity);

        var result = await RunAsync(fleet, "overload", 3, "", 4 * Rate, "2s");

        Assert.Equal(["OK", "RESOURCE_EXHAUSTED"], result.Totals.StatusCodes.Keys.Order(StringComparer.Ordinal));
        // Shed by the servers' capacity gate (counted by them), not queued unseen; the successful calls' latency counts
        // from the schedule (the rejections, failed at once, are kept out of it: they would flatter it).
        Assert.All(result.Servers, s => Assert.True(s.End?.Rejected > 0, $"{s.Address} rejected nothing"));
        Assert.All(result.Servers, s => Assert.True(s.End?.WorkingSetBytes < BoundedMemory, $"{s.Address}: {s.End?.WorkingSetBytes} bytes"));
        Assert.NotNull(result.Totals.ScheduleLag);
        Assert.Equal(result.Totals.Calls.Succeeded, result.Totals.Latency.Count);
    }

    [Fact]
    public async Task A_deadline_shorter_than_the_work_ends_calls_with_deadline_exceeded_and_the_servers_let_go_of_them()
    {
        await using var fleet = await StartFleetAsync();

        var result = await RunAsync(fleet, "deadline-short", 2, "", Rate, "100ms");

        Assert.Equal(["DEADLINE_EXCEEDED"], result.Totals.StatusCodes.Keys);
        // Each server saw the cancellations: its calls in flight fall back to 0 (bounded wait, read from the servers).
        foreach (var server in result.Servers)
        {
            using var channel = GrpcChannel.ForAddress($"http://{server.Address}");
            var client = new LoadLab.LoadLabClient(channel);
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while ((await client.GetStatsAsync(new StatsRequest(), cancellationToken: limit.Token)).InFlight > 0)
            {
                await Task.Delay(100, limit.Token);
            }

            Assert.True(server.End?.Unary?.Cancelled > 0, $"{server.Address} saw no cancelled call");
        }
    }

    /// <summary>A server's memory must stay far below this whatever the overload: it sheds calls rather than keeping them.</summary>
    private const long BoundedMemory = 1L << 30;

    /// <summary>The faulty instance's share of the attempts the balancer sent in the measured phases (the fault was on from the start).</summary>
    private static double ShareOfAttempts(RunResult result)
    {
        var picks = result.Endpoints.Where(e => e.Address is not null).ToDictionary(e => e.Address!, e => e.Picks);
        return (double)picks[result.Faults[0].Address!] / picks.Values.Sum();
    }
}

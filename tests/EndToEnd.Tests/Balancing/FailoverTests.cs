using System.Diagnostics;
using System.Globalization;
using GrpcLoadLab.Balancer;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.EndToEnd.Tests.Fleet;
using GrpcLoadLab.EndToEnd.Tests.Processes;

namespace GrpcLoadLab.EndToEnd.Tests.Balancing;

/// <summary>
/// The balancer over three real server processes started by the fleet script, while one of them is killed,
/// stopped gracefully or restarted under a closed-loop unary load.
/// </summary>
public class FailoverTests
{
    /// <summary>"About a second": how long the balancer may take to stop sending calls to a killed instance.</summary>
    private static readonly TimeSpan Detection = TimeSpan.FromSeconds(1.5);

    private static readonly WorkRequest Work = new() { DelayMicros = 5_000 };

    [Fact]
    public async Task A_killed_instance_fails_only_calls_started_before_it_was_seen_dead()
    {
        await using var fleet = await StartFleetAsync();
        using var balanced = BalancedChannelFactory.Create($"file:{fleet.RegistryPath}");
        using var load = StartLoad(balanced);
        await load.WaitForSucceededAsync(500, TimeSpan.FromMinutes(1));

        var killedAt = Stopwatch.GetTimestamp();
        await RunScriptAsync(fleet, "kill", "2");
        // Calls go on: a thousand more must succeed on the two survivors.
        await load.WaitForSucceededAsync(load.Succeeded + 1_000, TimeSpan.FromMinutes(1));
        load.StopStarting();
        await load.Completion;

        var late = load.FailedCalls.Where(f => Stopwatch.GetElapsedTime(killedAt, f.Started) > Detection).ToList();
        Assert.True(late.Count == 0, $"{late.Count} calls started over {Detection.TotalSeconds}s after the kill failed: {string.Join(", ", late.Take(5))}");
        Assert.All(load.FailedCalls, f => Assert.Equal(Grpc.Core.StatusCode.Unavailable, f.Status.StatusCode));
    }

    [Fact]
    public async Task With_retries_on_a_killed_instance_fails_no_unary_call()
    {
        await using var fleet = await StartFleetAsync();
        using var balanced = BalancedChannelFactory.Create($"file:{fleet.RegistryPath}", new BalancerOptions { Retry = RetryMode.Retry });
        using var load = StartLoad(balanced);
        await load.WaitForSucceededAsync(500, TimeSpan.FromMinutes(1));

        await RunScriptAsync(fleet, "kill", "2");
        await load.WaitForSucceededAsync(load.Succeeded + 1_000, TimeSpan.FromMinutes(1));
        load.StopStarting();
        await load.Completion;

        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} calls failed: {string.Join(", ", load.Failures.Take(5))}");
        Assert.True(balanced.Endpoints.Snapshot().Sum(e => e.RetryAttempts) > 0, "the calls in flight on the killed instance were retried");
    }

    [Fact]
    public async Task A_graceful_stop_of_one_instance_fails_no_call()
    {
        await using var fleet = await StartFleetAsync();
        using var balanced = BalancedChannelFactory.Create($"file:{fleet.RegistryPath}");
        using var load = StartLoad(balanced);
        await load.WaitForSucceededAsync(500, TimeSpan.FromMinutes(1));

        var pid = fleet.ReadPids()[2];
        await Signals.SendAsync(pid, "TERM");
        await WaitUntilAsync(() => !LabFleet.IsServerRunning(pid));
        await load.WaitForSucceededAsync(load.Succeeded + 500, TimeSpan.FromMinutes(1));
        load.StopStarting();
        await load.Completion;

        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} calls failed: {string.Join(", ", load.Failures.Take(5))}");
    }

    [Fact]
    public async Task A_restarted_instance_gets_its_share_back_without_restarting_the_client()
    {
        await using var fleet = await StartFleetAsync();
        using var balanced = BalancedChannelFactory.Create($"file:{fleet.RegistryPath}");
        var client = new LoadLab.LoadLabClient(balanced.Channel);
        var restarted = $"server-{ReadPort(fleet, 2)}";

        await RunScriptAsync(fleet, "kill", "2");
        await UnaryLoad.WaitUntilServedByAsync(client, servedBy => !servedBy.ContainsKey(restarted) && servedBy.Count == 2);
        await RunScriptAsync(fleet, "restart", "2");
        await UnaryLoad.WaitUntilServedByAsync(client, servedBy => servedBy.Count == 3);

        // Round-robin again: the restarted instance serves a third of the calls.
        using var load = UnaryLoad.Start(client, Work, workers: 3, maxCallsPerWorker: 100, TimeSpan.FromMinutes(1));
        await load.Completion;
        Assert.Empty(load.Failures);
        Assert.InRange(load.ServedBy.GetValueOrDefault(restarted), 95, 105);
    }

    private static async Task<LabFleet> StartFleetAsync()
    {
        var fleet = new LabFleet();
        await RunScriptAsync(fleet, TimeSpan.FromMinutes(5), "start", "3", "--base-port", FreePorts.FindRange(3).ToString(CultureInfo.InvariantCulture));
        return fleet;
    }

    private static UnaryLoad StartLoad(BalancedChannel balanced) =>
        UnaryLoad.Start(new LoadLab.LoadLabClient(balanced.Channel), Work, workers: 16, maxCallsPerWorker: 10_000, TimeSpan.FromMinutes(2));

    private static Task RunScriptAsync(LabFleet fleet, params string[] arguments) => RunScriptAsync(fleet, CommandRunner.DefaultTimeout, arguments);

    private static async Task RunScriptAsync(LabFleet fleet, TimeSpan timeout, params string[] arguments)
    {
        var result = await fleet.RunAsync(timeout, arguments);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static int ReadPort(LabFleet fleet, int instance) =>
        int.Parse(File.ReadAllLines(fleet.RegistryPath)[instance - 1].Split(':')[1], CultureInfo.InvariantCulture);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (!condition())
        {
            await Task.Delay(50, limit.Token);
        }
    }
}

using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.EndToEnd.Tests.Processes;
using static Grpc.Health.V1.HealthCheckResponse.Types;

namespace GrpcLoadLab.EndToEnd.Tests.Fleet;

public class FleetScriptTests
{
    // The first start builds the server (Release) when its build is missing or stale.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Start_status_kill_restart_and_stop_a_fleet_of_three()
    {
        await using var fleet = new LabFleet();
        var basePort = FreePorts.FindRange(3);
        string[] addresses = [$"127.0.0.1:{basePort}", $"127.0.0.1:{basePort + 1}", $"127.0.0.1:{basePort + 2}"];

        var start = await fleet.RunAsync(StartTimeout, "start", "3", "--base-port", $"{basePort}");
        Assert.True(start.ExitCode == 0, start.ToString());
        Assert.Equal(addresses, File.ReadAllLines(fleet.RegistryPath));
        await AssertServingAsync(addresses);
        await AssertStatusAsync(fleet, expectedExitCode: 0, "running SERVING", "running SERVING", "running SERVING");

        // A second start while the fleet runs is refused and touches nothing.
        var pids = fleet.ReadPids();
        var again = await fleet.RunAsync(StartTimeout, "start", "3", "--base-port", $"{basePort}");
        Assert.True(again.ExitCode != 0, again.ToString());
        Assert.Contains("already running", again.StandardError, StringComparison.Ordinal);
        Assert.Equal(pids, fleet.ReadPids());
        Assert.Equal(addresses, File.ReadAllLines(fleet.RegistryPath));
        await AssertServingAsync(addresses);

        var kill = await fleet.RunAsync("kill", "2");
        Assert.True(kill.ExitCode == 0, kill.ToString());
        // SIGKILL is delivered asynchronously: wait (bounded) until the process is gone.
        await WaitUntilGoneAsync(pids[2]);
        await AssertStatusAsync(fleet, expectedExitCode: 1, "running SERVING", "dead DOWN", "running SERVING");
        Assert.Equal(addresses, File.ReadAllLines(fleet.RegistryPath));

        var restart = await fleet.RunAsync("restart", "2");
        Assert.True(restart.ExitCode == 0, restart.ToString());
        Assert.NotEqual(pids[2], fleet.ReadPids()[2]);
        await AssertServingAsync(addresses);
        await AssertStatusAsync(fleet, expectedExitCode: 0, "running SERVING", "running SERVING", "running SERVING");

        var running = fleet.ReadPids().Values.ToArray();
        var stop = await fleet.RunAsync("stop");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.False(File.Exists(fleet.RegistryPath));
        Assert.DoesNotContain(running, LabFleet.IsServerRunning);
    }

    [Fact]
    public async Task Start_with_a_port_of_the_range_in_use_fails_and_leaves_nothing_behind()
    {
        await using var fleet = new LabFleet();
        var basePort = FreePorts.FindRange(3);
        var holder = new TcpListener(IPAddress.Loopback, basePort + 1);
        holder.Start();
        try
        {
            var start = await fleet.RunAsync(StartTimeout, "start", "3", "--base-port", $"{basePort}");

            Assert.True(start.ExitCode != 0, start.ToString());
            var line = Assert.Single(start.StandardErrorLines);
            Assert.Contains($"port {basePort + 1} is already in use", line, StringComparison.Ordinal);
            Assert.False(File.Exists(fleet.RegistryPath));
            Assert.Empty(fleet.ReadPids());
            Assert.Null(await HealthProbe.CheckAsync($"127.0.0.1:{basePort}"));
            Assert.Null(await HealthProbe.CheckAsync($"127.0.0.1:{basePort + 2}"));
        }
        finally
        {
            holder.Stop();
        }
    }

    [Fact]
    public async Task Allow_faults_reaches_every_instance_and_survives_a_restart()
    {
        await using var fleet = new LabFleet();
        var basePort = FreePorts.FindRange(2);

        var start = await fleet.RunAsync(StartTimeout, "start", "2", "--base-port", $"{basePort}", "--allow-faults");
        Assert.True(start.ExitCode == 0, start.ToString());
        await AssertFaultsAllowedAsync($"127.0.0.1:{basePort}");
        await AssertFaultsAllowedAsync($"127.0.0.1:{basePort + 1}");

        var restart = await fleet.RunAsync("restart", "2");
        Assert.True(restart.ExitCode == 0, restart.ToString());
        await AssertFaultsAllowedAsync($"127.0.0.1:{basePort + 1}");
    }

    [Fact]
    public async Task Terminate_sends_sigterm_to_one_instance_which_drains_and_exits_and_stays_in_the_registry()
    {
        await using var fleet = new LabFleet();
        var basePort = FreePorts.FindRange(2);
        string[] addresses = [$"127.0.0.1:{basePort}", $"127.0.0.1:{basePort + 1}"];
        var start = await fleet.RunAsync(StartTimeout, "start", "2", "--base-port", $"{basePort}");
        Assert.True(start.ExitCode == 0, start.ToString());
        var pid = fleet.ReadPids()[2];

        var terminate = await fleet.RunAsync("terminate", "2");

        Assert.True(terminate.ExitCode == 0, terminate.ToString());
        Assert.Contains($"sent SIGTERM to instance 2 (pid {pid}", terminate.StandardOutput, StringComparison.Ordinal);
        // A graceful stop takes the drain delay (1 s) and whatever is in flight: wait (bounded) until it has exited.
        await WaitUntilGoneAsync(pid);
        await AssertStatusAsync(fleet, expectedExitCode: 1, "running SERVING", "dead DOWN");
        Assert.Equal(addresses, File.ReadAllLines(fleet.RegistryPath));

        var again = await fleet.RunAsync("terminate", "2");
        Assert.True(again.ExitCode != 0, again.ToString());
        Assert.Equal("servers.sh: instance 2 is not running", Assert.Single(again.StandardErrorLines));
        var beyond = await fleet.RunAsync("terminate", "3");
        Assert.True(beyond.ExitCode == 2, beyond.ToString());
        Assert.Equal("servers.sh: the instance must be a whole number from 1 to 2, not '3'", Assert.Single(beyond.StandardErrorLines));
    }

    [Theory]
    [InlineData("start", "3", "--base-port")]
    [InlineData("start", "3", "--capacity")]
    [InlineData("stop", "--timeout")]
    public async Task An_option_without_its_value_is_refused_in_one_line(params string[] arguments)
    {
        await using var fleet = new LabFleet();

        var result = await fleet.RunAsync(arguments);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"servers.sh: {arguments[^1]} needs a value", Assert.Single(result.StandardErrorLines));
    }

    /// <summary>SetFault is accepted (an instance without --allow-faults refuses it); all zeros, so nothing changes.</summary>
    private static async Task AssertFaultsAllowedAsync(string address)
    {
        using var channel = GrpcChannel.ForAddress($"http://{address}");
        var state = await new LoadLab.LoadLabClient(channel).SetFaultAsync(new FaultRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
        Assert.False(state.Active);
    }

    private static async Task AssertServingAsync(IEnumerable<string> addresses)
    {
        foreach (var address in addresses)
        {
            Assert.Equal(ServingStatus.Serving, await HealthProbe.CheckAsync(address));
        }
    }

    /// <summary>Runs <c>status</c>; each expectation is "PROCESS HEALTH" for instance 1, 2, 3...</summary>
    internal static async Task AssertStatusAsync(LabFleet fleet, int expectedExitCode, params string[] expected)
    {
        var status = await fleet.RunAsync("status");
        Assert.True(status.ExitCode == expectedExitCode, status.ToString());
        var rows = StatusRow.Parse(status.StandardOutputLines);
        Assert.Equal(Enumerable.Range(1, expected.Length), rows.Select(r => r.Instance));
        Assert.Equal(expected, rows.Select(r => $"{r.Process} {r.Health}"));
    }

    private static async Task WaitUntilGoneAsync(int pid)
    {
        using var limit = new CancellationTokenSource(ExitTimeout);
        while (LabFleet.IsServerRunning(pid))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), limit.Token);
        }
    }
}

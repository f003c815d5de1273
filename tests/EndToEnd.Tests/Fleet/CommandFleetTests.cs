using GrpcLoadLab.EndToEnd.Tests.Processes;
using static Grpc.Health.V1.HealthCheckResponse.Types;

namespace GrpcLoadLab.EndToEnd.Tests.Fleet;

/// <summary>
/// <c>servers.sh start N --command</c>: a server the lab did not write (tests/RouteGuide, Python grpcio) run N times.
/// The script waits for grpc.health.v1 where the server has it, else for a reflection list, else for any gRPC answer,
/// and says which; status, kill, terminate, restart and stop work on it as on the lab's own fleet.
/// </summary>
public class CommandFleetTests
{
    // The first start builds the lab's server (Release), the fleet's probe, when its build is missing or stale.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_python_fleet_with_health_starts_reports_and_stops_like_the_labs_own()
    {
        await using var fleet = new LabFleet();
        var basePort = FreePorts.FindRange(2);
        string[] addresses = [$"127.0.0.1:{basePort}", $"127.0.0.1:{basePort + 1}"];

        var start = await fleet.RunAsync(
            StartTimeout, "start", "2", "--command", RouteGuideServer.Command("--health"), "--base-port", $"{basePort}");

        Assert.True(start.ExitCode == 0, start.ToString());
        Assert.Contains("2 server(s) ready: 2 answered grpc.health.v1 SERVING;", start.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(addresses, File.ReadAllLines(fleet.RegistryPath));
        foreach (var address in addresses)
        {
            Assert.Equal(ServingStatus.Serving, await HealthProbe.CheckAsync(address));
        }

        await FleetScriptTests.AssertStatusAsync(fleet, expectedExitCode: 0, "running SERVING", "running SERVING");

        var pids = fleet.ReadPids();
        Assert.All(pids.Values, pid => Assert.True(fleet.Runs(pid)));
        var kill = await fleet.RunAsync("kill", "2");
        Assert.True(kill.ExitCode == 0, kill.ToString());
        await WaitUntilEndedAsync(fleet, pids[2]);
        await FleetScriptTests.AssertStatusAsync(fleet, expectedExitCode: 1, "running SERVING", "dead DOWN");

        var restart = await fleet.RunAsync("restart", "2");
        Assert.True(restart.ExitCode == 0, restart.ToString());
        Assert.NotEqual(pids[2], fleet.ReadPids()[2]);
        await FleetScriptTests.AssertStatusAsync(fleet, expectedExitCode: 0, "running SERVING", "running SERVING");

        var terminate = await fleet.RunAsync("terminate", "1");
        Assert.True(terminate.ExitCode == 0, terminate.ToString());
        await WaitUntilEndedAsync(fleet, pids[1]);
        // SIGTERM let the server drain and say so (its own last line), not die at once.
        Assert.Contains("route_guide_server: stopped", await File.ReadAllTextAsync(Path.Combine(fleet.LabDirectory, "logs", "1.log")), StringComparison.Ordinal);

        var stop = await fleet.RunAsync("stop");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.False(File.Exists(fleet.RegistryPath));
        Assert.Empty(fleet.MarkedProcesses());
    }

    [Theory]
    [InlineData("--reflection", "1 without grpc.health.v1 answered a reflection list", "REFLECTION")]
    [InlineData("", "1 without grpc.health.v1 or reflection accepted a gRPC call", "ACCEPTING")]
    public async Task Without_health_the_start_waits_for_reflection_or_any_grpc_answer_and_says_which(
        string flag, string waitedFor, string health)
    {
        await using var fleet = new LabFleet();
        var basePort = FreePorts.FindRange(1);

        var start = await fleet.RunAsync(
            StartTimeout, "start", "1", "--command", RouteGuideServer.Command(flag), "--base-port", $"{basePort}");

        Assert.True(start.ExitCode == 0, start.ToString());
        Assert.Contains($"1 server(s) ready: {waitedFor};", start.StandardOutput, StringComparison.Ordinal);
        await FleetScriptTests.AssertStatusAsync(fleet, expectedExitCode: 0, $"running {health}");
    }

    [Fact]
    public async Task A_command_that_is_a_shell_line_is_stopped_with_every_process_it_started()
    {
        await using var fleet = new LabFleet();
        var basePort = FreePorts.FindRange(2);
        // bash stays the instance's first process (it has more to do after the server), the server its child.
        var command = $"cd '{RouteGuideServer.Folder}' && {RouteGuideServer.Command("--health")}; echo ended";

        var start = await fleet.RunAsync(StartTimeout, "start", "2", "--command", command, "--base-port", $"{basePort}");
        Assert.True(start.ExitCode == 0, start.ToString());
        Assert.True(fleet.MarkedProcesses().Count >= 4, "each instance is a shell and its server");

        var stop = await fleet.RunAsync("stop", "--timeout", "10");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.Empty(fleet.MarkedProcesses());
    }

    [Fact]
    public async Task A_command_that_exits_fails_the_start_at_once_with_the_end_of_its_log()
    {
        // A wait longer than the test's: before, the start waited all of it for an instance that had already exited.
        await using var fleet = new LabFleet { HealthTimeout = "1h" };
        var basePort = FreePorts.FindRange(2);

        var start = await fleet.RunAsync(StartTimeout, "start", "2", "--command", "echo 'unknown flag --port {port}' >&2; exit 3", "--base-port", $"{basePort}");

        Assert.True(start.ExitCode == 1, start.ToString());
        Assert.Contains("exited; the end of its log", start.StandardError, StringComparison.Ordinal);
        Assert.Contains($"unknown flag --port {basePort}", start.StandardError, StringComparison.Ordinal);
        Assert.Contains("start failed; every instance it started has been stopped", start.StandardErrorLines[^1], StringComparison.Ordinal);
        Assert.Empty(fleet.MarkedProcesses());
        Assert.False(File.Exists(fleet.RegistryPath));
    }

    [Theory]
    [InlineData("--command needs a value", "start", "1", "--command")]
    [InlineData("--command needs your server's command line, with {port} where its port goes", "start", "1", "--command", " ")]
    [InlineData("--command must say where each instance's port goes with {port}", "start", "1", "--command", "python3 server.py --port 50051")]
    [InlineData("--capacity is an option of the lab's server: with --command, give your server's own options in its command", "start", "1", "--command", "server --port {port}", "--capacity", "5")]
    [InlineData("--allow-faults is an option of the lab's server", "start", "1", "--allow-faults", "--command", "server --port {port}")]
    public async Task Bad_command_input_is_refused_in_one_line_with_exit_code_2_and_nothing_started(string expected, params string[] arguments)
    {
        await using var fleet = new LabFleet();

        var result = await fleet.RunAsync(arguments);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, Assert.Single(result.StandardErrorLines), StringComparison.Ordinal);
        Assert.Empty(fleet.ReadPids());
        Assert.Empty(fleet.MarkedProcesses());
    }

    private static async Task WaitUntilEndedAsync(LabFleet fleet, int pid)
    {
        using var limit = new CancellationTokenSource(ExitTimeout);
        while (fleet.Runs(pid))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), limit.Token);
        }
    }
}

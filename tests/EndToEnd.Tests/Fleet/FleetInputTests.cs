using System.Globalization;
using GrpcLoadLab.EndToEnd.Tests.Processes;

namespace GrpcLoadLab.EndToEnd.Tests.Fleet;

/// <summary>
/// The fleet script against hostile input: every bad command, option or value is one line and exit 2; numbers are
/// read in base 10 (bash alone reads 010 as eight and 08 not at all); two commands at once cannot leave a server
/// that no stop finds.
/// </summary>
public class FleetInputTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData("name a command", new string[0])]
    [InlineData("unknown command 'begin'", new[] { "begin" })]
    [InlineData("start needs the number of instances", new[] { "start" })]
    [InlineData("start needs the number of instances", new[] { "start", "--pin" })]
    [InlineData("the number of instances must be a whole number from 1 to 64, not '0'", new[] { "start", "0" })]
    [InlineData("the number of instances must be a whole number from 1 to 64, not '65'", new[] { "start", "65" })]
    [InlineData("the number of instances must be a whole number from 1 to 64, not '3.5'", new[] { "start", "3.5" })]
    [InlineData("the number of instances must be a whole number from 1 to 64, not '99999999999999999999'", new[] { "start", "99999999999999999999" })]
    [InlineData("--base-port must be a whole number from 1024 to 65533, not '1023'", new[] { "start", "3", "--base-port", "1023" })]
    [InlineData("--base-port must be a whole number from 1024 to 65533, not '65534'", new[] { "start", "3", "--base-port", "65534" })]
    [InlineData("--capacity (0 = unlimited) must be a whole number from 0 to 1000000, not '-1'", new[] { "start", "1", "--capacity", "-1" })]
    [InlineData("--queue must be a whole number from 0 to 1000000, not '1e3'", new[] { "start", "1", "--queue", "1e3" })]
    [InlineData("unknown option '--ports' for start", new[] { "start", "1", "--ports", "3" })]
    [InlineData("--tls-ca '/nonexistent/ca.pem' is not a readable file", new[] { "start", "1", "--tls-ca", "/nonexistent/ca.pem" })]
    [InlineData("--tls-cert and --tls-key go together", new[] { "start", "1", "--tls-cert", "/etc/passwd", "--tls-ca", "/etc/passwd" })]
    [InlineData("--tls-cert makes the servers speak TLS: give --tls-ca", new[] { "start", "1", "--tls-cert", "/etc/passwd", "--tls-key", "/etc/passwd" })]
    [InlineData("--client-ca makes the servers require a client certificate: give --tls-client-cert and --tls-client-key", new[] { "start", "1", "--tls-cert", "/etc/passwd", "--tls-key", "/etc/passwd", "--client-ca", "/etc/passwd", "--tls-ca", "/etc/passwd" })]
    [InlineData("--tls-client-cert and --tls-client-key go together", new[] { "start", "1", "--tls-ca", "/etc/passwd", "--tls-client-cert", "/etc/passwd" })]
    [InlineData("--tls-cert is an option of the lab's server: with --command", new[] { "start", "1", "--command", "server --port {port}", "--tls-cert", "/etc/passwd" })]
    [InlineData("unexpected argument 'now' for status", new[] { "status", "now" })]
    [InlineData("--timeout (seconds) must be a whole number from 0 to 3600, not '0x10'", new[] { "stop", "--timeout", "0x10" })]
    [InlineData("--timeout (seconds) must be a whole number from 0 to 3600, not '3601'", new[] { "stop", "--timeout", "3601" })]
    [InlineData("unknown option 'now' for stop", new[] { "stop", "now" })]
    [InlineData("name an instance, e.g. scripts/servers.sh kill 1", new[] { "kill" })]
    [InlineData("the instance must be a whole number from 1 to the fleet's size, not 'two'", new[] { "terminate", "two" })]
    [InlineData("unexpected argument '3' for restart", new[] { "restart", "2", "3" })]
    public async Task Bad_input_is_refused_in_one_line_with_exit_code_2(string expected, string[] arguments)
    {
        await using var fleet = new LabFleet();

        var result = await fleet.RunAsync(arguments);

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.StandardErrorLines);
        Assert.StartsWith("servers.sh: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Empty(fleet.ReadPids());
    }

    [Fact]
    public async Task Numbers_with_leading_zeros_are_read_in_base_10()
    {
        await using var fleet = new LabFleet();
        var basePort = FreePorts.FindRange(2);

        // Read as octal, 0PORT would be another port (or no number at all when PORT has an 8 or a 9).
        var start = await fleet.RunAsync(StartTimeout, "start", "02", "--base-port", $"0{basePort}");
        Assert.True(start.ExitCode == 0, start.ToString());
        Assert.Equal([$"127.0.0.1:{basePort}", $"127.0.0.1:{basePort + 1}"], File.ReadAllLines(fleet.RegistryPath));

        var pids = fleet.ReadPids();
        var kill = await fleet.RunAsync("kill", "02");
        Assert.True(kill.ExitCode == 0, kill.ToString());
        Assert.Contains($"killed instance 2 (pid {pids[2]}", kill.StandardOutput, StringComparison.Ordinal);

        // "08" is no octal number: bash alone failed the wait and sent SIGKILL at once. Read as 8 seconds, instance 1
        // has ample time to drain (1 s) and stops gracefully.
        var stop = await fleet.RunAsync("stop", "--timeout", "08");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.DoesNotContain("killing it", stop.StandardOutput, StringComparison.Ordinal);
        Assert.False(LabFleet.IsServerRunning(pids[1]));
        Assert.Contains("server: stopped", await File.ReadAllTextAsync(Path.Combine(fleet.LabDirectory, "logs", "1.log")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_starts_at_once_leave_one_fleet_whose_every_server_stop_ends()
    {
        await using var fleet = new LabFleet();
        var first = FreePorts.FindRange(4);
        var second = first + 2;

        var results = await Task.WhenAll(
            fleet.RunAsync(StartTimeout, "start", "2", "--base-port", Invariant(first)),
            fleet.RunAsync(StartTimeout, "start", "2", "--base-port", Invariant(second)));

        // The lock lets one start at a time: the other finds that fleet running and changes nothing.
        var started = Assert.Single(results, r => r.ExitCode == 0);
        var refused = Assert.Single(results, r => r.ExitCode != 0);
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("already running", Assert.Single(refused.StandardErrorLines), StringComparison.Ordinal);
        var pids = fleet.ReadPids();
        Assert.Equal(2, pids.Count);
        Assert.All(pids.Values, pid => Assert.True(LabFleet.IsServerRunning(pid)));
        var basePort = started == results[0] ? first : second;
        Assert.Equal([$"127.0.0.1:{basePort}", $"127.0.0.1:{basePort + 1}"], File.ReadAllLines(fleet.RegistryPath));

        var stop = await fleet.RunAsync("stop");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.All(pids.Values, pid => Assert.False(LabFleet.IsServerRunning(pid)));
        // Nothing of the refused start answers on its ports.
        var otherPort = started == results[0] ? second : first;
        Assert.Null(await HealthProbe.CheckAsync($"127.0.0.1:{otherPort}"));
        Assert.Null(await HealthProbe.CheckAsync($"127.0.0.1:{otherPort + 1}"));
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}

using System.Net;
using System.Net.Sockets;
using GrpcLoadLab.EndToEnd.Tests.Processes;

namespace GrpcLoadLab.EndToEnd.Tests.CommandLine;

public class BadInputTests
{
    [Theory]
    [InlineData("--port 70000 is out of range: give 0-65535", null, "--port", "70000")]
    [InlineData("--port 'abc' is not a whole number", null, "--port", "abc")]
    [InlineData("--port 99999999999999999999 is out of range", null, "--port", "99999999999999999999")]
    [InlineData("--capacity -1 is out of range: give 0-1000000 calls", null, "--capacity", "-1")]
    [InlineData("--capacity 2000000000 is out of range", null, "--capacity", "2000000000")]
    [InlineData("--queue 1000001 is out of range", null, "--queue", "1000001")]
    [InlineData("--bogus", null, "--bogus")]
    [InlineData("--drain-delay '5x' is not a duration from 0s to 1h", null, "--drain-delay", "5x")]
    [InlineData("--drain-delay '2h' is not a duration from 0s to 1h", null, "--drain-delay", "2h")]
    [InlineData("--drain-timeout '1e30s' is not a duration from 1ms to 1h", null, "--drain-timeout", "1e30s")]
    [InlineData("--drain-timeout '-1s'", null, "--drain-timeout", "-1s")]
    [InlineData("--max-work '1e30s' is not a duration from 1ms to 1h", null, "--max-work", "1e30s")]
    [InlineData("--max-work '0s'", null, "--max-work", "0s")]
    [InlineData("--max-receive-message-size '4MiB' is not a whole number", null, "--max-receive-message-size", "4MiB")]
    [InlineData("--max-receive-message-size 0 is out of range: give 1-268435456 bytes", null, "--max-receive-message-size", "0")]
    [InlineData("--max-send-message-size 'big'", null, "--max-send-message-size", "big")]
    [InlineData("--max-send-message-size 2147483648 is out of range", null, "--max-send-message-size", "2147483648")]
    [InlineData("--max-concurrent-connections '1e3'", null, "--max-concurrent-connections", "1e3")]
    [InlineData("--max-concurrent-connections 0 is out of range", null, "--max-concurrent-connections", "0")]
    [InlineData("--max-streams-per-connection 'many'", null, "--max-streams-per-connection", "many")]
    [InlineData("--max-streams-per-connection 10001 is out of range: give 1-10000 streams", null, "--max-streams-per-connection", "10001")]
    [InlineData("maybe", null, "--allow-faults", "maybe")]
    [InlineData("--prometheus 70000 is out of range: give 0-65535", null, "--prometheus", "70000")]
    [InlineData("--prometheus 'on' is not a whole number", null, "--prometheus", "on")]
    [InlineData("--prometheus 7301 is the gRPC port too", null, "--port", "7301", "--prometheus", "7301")]
    [InlineData("--otlp-endpoint 'localhost:4317' is not an OTLP collector's address: give http://HOST:PORT", null, "--otlp-endpoint", "localhost:4317")]
    [InlineData("--otlp-endpoint 'collector'", null, "--otlp-endpoint", "collector")]
    [InlineData("--otlp-interval needs --otlp-endpoint", null, "--otlp-interval", "1s")]
    [InlineData("--otlp-interval '10ms' is not a duration from 100ms to 1h", null, "--otlp-endpoint", "http://127.0.0.1:4317", "--otlp-interval", "10ms")]
    [InlineData("LAB_PORT 'abc'", "abc")]
    [InlineData("LAB_PORT '70000'", "70000")]
    [InlineData("--wait '1e30s' is not a duration from 0s to 1h", null, "probe", "127.0.0.1:1", "--wait", "1e30s")]
    [InlineData("--wait '-1s'", null, "probe", "127.0.0.1:1", "--wait", "-1s")]
    public async Task Bad_flags_exit_2_with_one_clear_line(string named, string? labPort, params string[] arguments)
    {
        var result = await RunServerAsync(arguments, labPort);

        AssertRefusedInOneLine(result, named);
    }

    [Fact]
    public async Task A_port_in_use_exits_2_with_one_clear_line()
    {
        var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        try
        {
            var port = ((IPEndPoint)holder.LocalEndpoint).Port;

            var result = await RunServerAsync(["--port", $"{port}"], labPort: null);

            AssertRefusedInOneLine(result, "already in use");
        }
        finally
        {
            holder.Stop();
        }
    }

    // LAB_PORT is set or removed explicitly, so that the test's own environment plays no part.
    private static Task<CommandResult> RunServerAsync(string[] arguments, string? labPort) =>
        CommandRunner.RunAsync(
            "dotnet", [RepositoryPaths.ServerDll, .. arguments], new Dictionary<string, string?> { ["LAB_PORT"] = labPort });

    private static void AssertRefusedInOneLine(CommandResult result, string named)
    {
        Assert.True(result.ExitCode == 2, $"expected exit code 2: {result}");
        var line = Assert.Single(result.StandardErrorLines);
        Assert.StartsWith("server: ", line, StringComparison.Ordinal);
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Net.Sockets;
using GrpcLoadLab.EndToEnd.Tests.Processes;

namespace GrpcLoadLab.EndToEnd.Tests.CommandLine;

public class BadInputTests
{
    [Theory]
    [InlineData("70000", null, "--port", "70000")]
    [InlineData("abc", null, "--port", "abc")]
    [InlineData("-1", null, "--capacity", "-1")]
    [InlineData("--bogus", null, "--bogus")]
    [InlineData("5x", null, "--drain-delay", "5x")]
    [InlineData("--max-receive-message-size", null, "--max-receive-message-size", "4MiB")]
    [InlineData("max receive message size", null, "--max-receive-message-size", "0")]
    [InlineData("--max-send-message-size", null, "--max-send-message-size", "big")]
    [InlineData("max send message size", null, "--max-send-message-size", "-1")]
    [InlineData("--max-concurrent-connections", null, "--max-concurrent-connections", "1e3")]
    [InlineData("max concurrent connections", null, "--max-concurrent-connections", "0")]
    [InlineData("--max-streams-per-connection", null, "--max-streams-per-connection", "many")]
    [InlineData("max streams per connection", null, "--max-streams-per-connection", "0")]
    [InlineData("maybe", null, "--allow-faults", "maybe")]
    [InlineData("LAB_PORT 'abc'", "abc")]
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

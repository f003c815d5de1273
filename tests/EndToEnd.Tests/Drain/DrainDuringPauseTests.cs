using System.Text.Json;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.EndToEnd.Tests.LoadGen;
using GrpcLoadLab.EndToEnd.Tests.Processes;

namespace GrpcLoadLab.EndToEnd.Tests.Drain;

/// <summary>
/// A server drains while loadgen's streams pause between two messages: it ends them with OK and exits. Each call is
/// over with that OK when the server says so, not at the client's next send. Read then, the OK would be lost: the
/// server's exit closes the connection of a call whose request is still open, and the HTTP/2 client then drops the
/// response it had received, trailers included (SocketsHttpHandler resets such a stream), so the read fails with an
/// INTERNAL that no server sent.
/// </summary>
public sealed class DrainDuringPauseTests : IDisposable
{
    private const int Streams = 4;
    // Far longer than the test's bound on the whole run: a driver that waits for its next send cannot pass.
    private static readonly TimeSpan Pause = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    private readonly string _folder = Directory.CreateTempSubdirectory("drain-pause-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("bidi", false)]
    [InlineData("bidi", true)]
    [InlineData("client-stream", false)]
    [InlineData("client-stream", true)]
    public async Task Streams_a_server_ends_by_draining_during_the_clients_pause_end_then_with_its_OK(string kind, bool bySchema)
    {
        await using var server = await ServerProcess.StartAsync("--drain-delay", "1s", "--drain-timeout", "10s");
        var scenario = await WriteScenarioAsync(kind, bySchema, server.Port);
        await using var run = LoadGenProcess.Start("run", scenario);
        var stats = new LoadLab.LoadLabClient(server.Channel);
        // Every stream has sent its first message; the server's drain delay (1 s) then leaves each in its pause.
        using (var bound = new CancellationTokenSource(StepTimeout))
        {
            while (MessagesReceived(await stats.GetStatsAsync(new StatsRequest(), cancellationToken: bound.Token), kind) < Streams)
            {
                await Task.Delay(100, bound.Token);
            }
        }

        await server.SignalAsync("TERM");

        var exitCode = await run.WaitForExitAsync(StepTimeout);
        var totals = run.ReadResult().Totals;
        Assert.True(
            totals.StatusCodes.Count == 1 && totals.StatusCodes.GetValueOrDefault("OK") == Streams,
            $"exit {exitCode}; expected {Streams} × OK, counted: {string.Join(", ", totals.StatusCodes.Select(s => $"{s.Value} × {s.Key}"))}\n{run.StandardOutput}{run.StandardError}");
        Assert.Equal(Streams, totals.MessagesSent);
        Assert.Equal(0, await server.WaitForExitAsync(StepTimeout));
    }

    private static long MessagesReceived(InstanceStats stats, string kind) =>
        (kind == "bidi" ? stats.Bidi : stats.ClientStream)?.MessagesReceived ?? 0;

    private async Task<string> WriteScenarioAsync(string kind, bool bySchema, int port)
    {
        var method = kind == "bidi" ? "Bidi" : "ClientStream";
        var schema = bySchema
            ? $"""
                , "method": "lab.v1.LoadLab/{method}", "protos": [{JsonSerializer.Serialize(Path.Combine(RepositoryPaths.Root, "protos", "lab.proto"))}]
                """
            : string.Empty;
        var file = Path.Combine(_folder, "scenario.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              "name": "drain-during-pause",
              "target": { "address": "static:127.0.0.1:{{port}}" },
              "call": { "kind": "{{kind}}", "messages": 3, "messageInterval": "{{(int)Pause.TotalMinutes}}m", "deadline": "{{3 * (int)Pause.TotalMinutes}}m"{{schema}} },
              "phases": [{ "type": "iterations", "concurrency": {{Streams}}, "iterations": {{Streams}} }]
            }
            """);
        return file;
    }
}

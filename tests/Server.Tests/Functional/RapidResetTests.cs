using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using GrpcLoadLab.Contracts;
using Xunit.Abstractions;

namespace GrpcLoadLab.Server.Tests.Functional;

/// <summary>
/// The HTTP/2 rapid-reset attack (CVE-2023-44487): a client opens calls and resets them at once, in a loop, so the
/// stream limit never binds. Kestrel's guard, kept on, must leave the instance serving its other clients, and the
/// reset calls must not leak: the in-flight count comes back to 0.
/// </summary>
[Collection(RunAlone.Name)]
public class RapidResetTests(ITestOutputHelper output)
{
    private const int MaxStreams = 5_000;
    private static readonly TimeSpan MaxAbuse = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Calls_opened_and_reset_in_a_tight_loop_leave_other_clients_served_and_no_call_in_flight()
    {
        await using var server = await TestServer.StartAsync();
        using var abuseOver = new CancellationTokenSource();
        var others = KeepCallingAsync(server, abuseOver.Token);

        var (streams, connections) = await OpenAndResetAsync(server);
        // The other client keeps calling until the server has worked through every reset call the loop sent.
        var stats = await server.WaitForStatsAsync(s => s.InFlight == 0, "every reset call to end on the server");
        await abuseOver.CancelAsync();
        var (succeeded, failures) = await others;

        output.WriteLine(
            $"{streams} calls opened and reset over {connections} connection(s); {stats.Bidi.Cancelled} reached the service; {succeeded} other calls served meanwhile");
        Assert.Empty(failures);
        Assert.True(succeeded > 0);
        await server.Client.UnaryAsync(new WorkRequest(), cancellationToken: server.Timeout);
    }

    /// <summary>
    /// Opens bidi calls (their handlers start at once, without a request message) and resets each straight after, in
    /// one write per call; when the server closes the connection (GOAWAY ENHANCE_YOUR_CALM, or an output queue
    /// overflow), opens another, as an attacker would. Returns the calls opened and the connections used.
    /// </summary>
    private static async Task<(int Streams, int Connections)> OpenAndResetAsync(TestServer server)
    {
        var (connection, closed) = await StartConnectionAsync(server);
        var connections = 1;
        var streams = 0;
        var streamId = 1;
        var started = Stopwatch.GetTimestamp();
        try
        {
            while (streams < MaxStreams && Stopwatch.GetElapsedTime(started) < MaxAbuse)
            {
                if (closed.IsCompleted)
                {
                    connection.Dispose();
                    (connection, closed) = await StartConnectionAsync(server);
                    connections++;
                    streamId = 1;
                }

                try
                {
                    await connection.WriteAsync(
                        [.. RawHttp2Connection.OpenCall(streamId, server.Port, "/lab.v1.LoadLab/Bidi"), .. RawHttp2Connection.Reset(streamId)],
                        server.Timeout);
                    streams++;
                    streamId += 2;
                }
                catch (IOException)
                {
                    // Closed by the server mid-write: the next round opens another connection.
                    await closed;
                }
            }
        }
        finally
        {
            connection.Dispose();
        }

        return (streams, connections);
    }

    /// <summary>
    /// A connection past its preface, whose incoming frames are read and dropped so that the server never waits on it;
    /// the task ends when the server closes it.
    /// </summary>
    private static async Task<(RawHttp2Connection Connection, Task Closed)> StartConnectionAsync(TestServer server)
    {
        var connection = await RawHttp2Connection.ConnectAsync(server.Port, server.Timeout);
        await connection.WriteAsync(RawHttp2Connection.Start(), server.Timeout);
        return (connection, connection.ReadUntilClosedAsync(server.Timeout));
    }

    /// <summary>Unary calls one after another on a connection of their own, until told to stop (at least one).</summary>
    private static async Task<(int Succeeded, List<Status> Failures)> KeepCallingAsync(TestServer server, CancellationToken stop)
    {
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new LoadLab.LoadLabClient(channel);
        var succeeded = 0;
        var failures = new List<Status>();
        do
        {
            try
            {
                await client.UnaryAsync(new WorkRequest { ReplySize = 16 }, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: server.Timeout);
                succeeded++;
            }
            catch (RpcException e)
            {
                failures.Add(e.Status);
            }
        }
        while (!stop.IsCancellationRequested);

        return (succeeded, failures);
    }
}

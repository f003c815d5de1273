using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using Grpc.Core;
using Grpc.Net.Client;
using GrpcLoadLab.Common;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Runner;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Terminal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GrpcLoadLab.LoadGen.Tests.Functional;

/// <summary>
/// A server may end a client stream or bidi call while the client still has messages to send: a draining server ends
/// open streams with OK, a failing one with its status, a server without the method answers UNIMPLEMENTED at once.
/// The client's next write then fails, and Grpc.Net.Client says CANCELLED from it until it has read the server's
/// status. Every such call is counted under the status the server sent, by the lab's drivers and by the drivers of any
/// service alike. The server here is raw HTTP/2 on Kestrel: it reads the call's first message, answers it (bidi; a
/// client stream's one reply when it ends OK), and ends the call with its status without reading the rest; or, for
/// UNIMPLEMENTED, answers at once with its status in the headers (trailers-only), reading nothing.
/// </summary>
/// <remarks>
/// Before the drivers read the status from the response, the lab's bidi driver counted every call here CANCELLED (or,
/// for an OK end before the echo, an INTERNAL of its own); the other drivers read the server's status already when
/// grpc-dotnet had read it first, as it does for a client stream's response and for a bidi call read meanwhile.
/// </remarks>
public sealed class StreamEndedByServerTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly string _reports = Directory.CreateTempSubdirectory("loadgen-stream-end-").FullName;

    public void Dispose() => Directory.Delete(_reports, recursive: true);

    /// <summary>
    /// Each kind, ended with a failure, with OK and trailers-only, called as the lab's and by schema; sending at once
    /// (the next write races the server's end) and 200 ms apart (longer than the server takes to end the call, so that
    /// the call ends during the pause). The outcome must not depend on which comes first.
    /// </summary>
    public static TheoryData<CallKind, StatusCode, bool, int> Ends()
    {
        var ends = new TheoryData<CallKind, StatusCode, bool, int>();
        foreach (var kind in new[] { CallKind.Bidi, CallKind.ClientStream })
        {
            foreach (var status in new[] { StatusCode.ResourceExhausted, StatusCode.OK, StatusCode.Unimplemented })
            {
                foreach (var bySchema in new[] { false, true })
                {
                    foreach (var intervalMs in new[] { 0, 200 })
                    {
                        ends.Add(kind, status, bySchema, intervalMs);
                    }
                }
            }
        }

        return ends;
    }

    [Theory]
    [MemberData(nameof(Ends))]
    public async Task A_stream_the_server_ends_early_is_counted_under_the_status_the_server_sent(CallKind kind, StatusCode status, bool bySchema, int intervalMs)
    {
        await using var server = await StartEndingServerAsync(status);
        const int Calls = 6;
        var scenario = new Scenario
        {
            Name = "stream-ended-by-server",
            Target = new TargetSpec { Address = RawGrpcServer.Target(server) },
            Call = new CallSpec
            {
                Kind = kind,
                Messages = 3,
                MessageInterval = TimeSpan.FromMilliseconds(intervalMs),
                Method = bySchema ? $"lab.v1.LoadLab/{kind}" : null,
                Protos = bySchema ? [Path.Combine(RepositoryFolder.Root, "protos", "lab.proto")] : [],
            },
            Phases = [new IterationsPhase(2, Calls)],
            Report = new ReportSpec { Directory = _reports },
        };

        var outcome = await new LoadRun(scenario, ProgressDisplay.Create(TextWriter.Null, isTerminal: false)).ExecuteAsync(CancellationToken.None);

        var totals = outcome.Result.Totals;
        Assert.Equal(Calls, totals.Calls.Started);
        var name = Spellings.Status.Name(status);
        Assert.True(
            totals.StatusCodes.Count == 1 && totals.StatusCodes.GetValueOrDefault(name) == Calls,
            $"expected {Calls} × {name}, counted: {string.Join(", ", totals.StatusCodes.Select(s => $"{s.Value} × {s.Key}"))}; "
            + $"invalid for: {string.Join("; ", outcome.Result.Verdict.InvalidReasons)}; "
            + $"why: {string.Join("; ", totals.Failures!.SelectMany(f => f.Value.Details.Select(d => $"{f.Key} × {d.Calls}: {d.Detail}")))}");
    }

    public static TheoryData<CallKind, StatusCode, bool> EndsDuringThePause()
    {
        var ends = new TheoryData<CallKind, StatusCode, bool>();
        foreach (var kind in new[] { CallKind.Bidi, CallKind.ClientStream })
        {
            foreach (var status in new[] { StatusCode.ResourceExhausted, StatusCode.OK })
            {
                foreach (var bySchema in new[] { false, true })
                {
                    ends.Add(kind, status, bySchema);
                }
            }
        }

        return ends;
    }

    /// <summary>
    /// The server ends each call just after its first message, while the client pauses a minute before its second: the
    /// call is over then, with the server's status, not a minute later at the client's next send.
    /// </summary>
    [Theory]
    [MemberData(nameof(EndsDuringThePause))]
    public async Task A_stream_the_server_ends_during_the_clients_pause_ends_then_not_at_the_next_send(CallKind kind, StatusCode status, bool bySchema)
    {
        await using var server = await StartEndingServerAsync(status);
        const int Calls = 2;
        var pause = TimeSpan.FromMinutes(1);
        var scenario = new Scenario
        {
            Name = "stream-ended-during-pause",
            Target = new TargetSpec { Address = RawGrpcServer.Target(server) },
            Call = new CallSpec
            {
                Kind = kind,
                Messages = 3,
                MessageInterval = pause,
                Deadline = 3 * pause,
                Method = bySchema ? $"lab.v1.LoadLab/{kind}" : null,
                Protos = bySchema ? [Path.Combine(RepositoryFolder.Root, "protos", "lab.proto")] : [],
            },
            Phases = [new IterationsPhase(Calls, Calls)],
            Report = new ReportSpec { Directory = _reports },
        };

        // A driver that waits for its next send is stopped at half the pause, so that it fails in half a minute.
        using var bound = new CancellationTokenSource(pause / 2);
        var run = Stopwatch.StartNew();
        var totals = (await new LoadRun(scenario, ProgressDisplay.Create(TextWriter.Null, isTerminal: false)).ExecuteAsync(bound.Token)).Result.Totals;
        run.Stop();

        Assert.Equal(Calls, totals.StatusCodes.GetValueOrDefault(Spellings.Status.Name(status)));
        Assert.Equal(Calls, totals.MessagesSent);
        // Half the pause: a bound that no machine's slowness reaches, and that a call waiting for its next send
        // exceeds. The run's own time, as a failed call's time is in no latency histogram.
        Assert.True(run.Elapsed < pause / 2, $"the run took {run.Elapsed}");
    }

    /// <summary>Writes until one finds the call ended, whatever the machine's speed: that write is the case at stake.</summary>
    [Fact]
    public async Task A_write_that_finds_the_call_ended_says_so_and_the_response_then_tells_the_servers_status()
    {
        await using var server = await StartEndingServerAsync(StatusCode.ResourceExhausted);
        using var channel = GrpcChannel.ForAddress($"http://{RawGrpcServer.Authority(server)}");
        using var call = new LoadLab.LoadLabClient(channel).Bidi(deadline: DateTime.UtcNow + Bound);
        using var bound = new CancellationTokenSource(Bound);

        Assert.True(await call.RequestStream.TryWriteAsync(new WorkRequest(), bound.Token));
        Assert.True(await call.ResponseStream.MoveNext(bound.Token));
        var writes = 1;
        while (await call.RequestStream.TryWriteAsync(new WorkRequest(), bound.Token))
        {
            writes++;
            await Task.Delay(TimeSpan.FromMilliseconds(10), bound.Token);
        }

        var ended = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(bound.Token));
        Assert.True(ended.StatusCode == StatusCode.ResourceExhausted, $"after {writes} writes: {ended.Status}");
    }

    [Fact]
    public async Task A_write_cancelled_by_its_own_token_throws_rather_than_reading_as_ended()
    {
        await using var server = await StartEndingServerAsync(StatusCode.ResourceExhausted);
        using var channel = GrpcChannel.ForAddress($"http://{RawGrpcServer.Authority(server)}");
        using var call = new LoadLab.LoadLabClient(channel).Bidi(deadline: DateTime.UtcNow + Bound);

        var thrown = await Record.ExceptionAsync(async () => await call.RequestStream.TryWriteAsync(new WorkRequest(), new CancellationToken(canceled: true)));

        Assert.True(thrown is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled }, $"thrown: {thrown}");
    }

    /// <summary>
    /// A write fails with the transport's own exception when the connection under the call is gone: Grpc.Net.Client
    /// passes SocketsHttpHandler's through (seen: HttpRequestException "The request was aborted", of an HTTP/2
    /// STREAM_CLOSED from Kestrel, thrown by the write of a client stream). The call is over then, and its status is
    /// the response's to tell, not the generator's failure; any other exception is not the call's end.
    /// </summary>
    [Theory]
    [InlineData("http", true)]
    [InlineData("io", true)]
    [InlineData("rpc", true)]
    [InlineData("argument", false)]
    public async Task A_write_that_the_transport_failed_reads_as_ended_and_nothing_else_does(string failure, bool ended)
    {
        Exception thrown = failure switch
        {
            "http" => new HttpRequestException("The request was aborted.", new HttpProtocolException(5, "STREAM_CLOSED", null)),
            "io" => new IOException("The request was aborted."),
            "rpc" => new RpcException(new Status(StatusCode.Cancelled, string.Empty)),
            _ => new ArgumentException("not the call's end"),
        };
        var writer = new FailingWriter(thrown);

        if (ended)
        {
            Assert.False(await writer.TryWriteAsync(new WorkRequest(), CancellationToken.None));
        }
        else
        {
            Assert.Same(thrown, await Assert.ThrowsAsync<ArgumentException>(async () => await writer.TryWriteAsync(new WorkRequest(), CancellationToken.None)));
        }
    }

    /// <summary>
    /// Answers the lab's client stream and bidi methods: reads the first request, replies to it (bidi; a client
    /// stream only when it ends OK), and ends the call with <paramref name="status"/>, leaving the rest unread;
    /// UNIMPLEMENTED comes at once, trailers-only, as from a server without the method.
    /// </summary>
    private static Task<WebApplication> StartEndingServerAsync(StatusCode status) => RawGrpcServer.StartAsync(app =>
    {
        app.MapPost("/lab.v1.LoadLab/Bidi", context => EndAsync(context, status, reply: true));
        app.MapPost("/lab.v1.LoadLab/ClientStream", context => EndAsync(context, status, reply: status == StatusCode.OK));
    });

    private static async Task EndAsync(HttpContext context, StatusCode status, bool reply)
    {
        context.Response.ContentType = "application/grpc";
        var code = ((int)status).ToString(CultureInfo.InvariantCulture);
        if (status == StatusCode.Unimplemented)
        {
            context.Response.Headers["grpc-status"] = code;
            return;
        }

        await ReadOneMessageAsync(context.Request.BodyReader);
        if (reply)
        {
            // One empty message (flag 0, length 0): every field at its default.
            await context.Response.Body.WriteAsync(new byte[5]);
            await context.Response.Body.FlushAsync();
        }

        context.Response.AppendTrailer("grpc-status", code);
    }

    /// <summary>A request stream whose every write fails with <paramref name="failure"/>, as a transport's would.</summary>
    private sealed class FailingWriter(Exception failure) : IClientStreamWriter<WorkRequest>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(WorkRequest message) => Task.FromException(failure);

        public Task CompleteAsync() => Task.CompletedTask;
    }

    /// <summary>Reads one length-prefixed gRPC message (5-byte header: flag and big-endian length).</summary>
    private static async Task ReadOneMessageAsync(PipeReader body)
    {
        var header = await body.ReadAtLeastAsync(5);
        var length = BinaryPrimitives.ReadInt32BigEndian(header.Buffer.Slice(1, 4).ToArray());
        body.AdvanceTo(header.Buffer.Start);
        var message = await body.ReadAtLeastAsync(5 + length);
        body.AdvanceTo(message.Buffer.GetPosition(5 + length));
    }
}

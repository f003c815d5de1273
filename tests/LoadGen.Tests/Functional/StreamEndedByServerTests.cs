using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using Grpc.Core;
using GrpcLoadLab.LoadGen.Runner;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Terminal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace GrpcLoadLab.LoadGen.Tests.Functional;

/// <summary>
/// A server may end a client stream or bidi call while the client still has messages to send: a draining server ends
/// open streams with OK, a failing one with its status. The client's next write then fails, and Grpc.Net.Client says
/// CANCELLED from it until it has read the server's status. Every such call is counted under the status the server
/// sent, by the lab's drivers and by the drivers of any service alike. The server here is raw HTTP/2 on Kestrel: it
/// reads the call's first message, answers it (bidi; a client stream's one reply when it ends OK), and ends the call
/// with its status without reading the rest.
/// </summary>
public sealed class StreamEndedByServerTests : IDisposable
{
    private readonly string _reports = Directory.CreateTempSubdirectory("loadgen-stream-end-").FullName;

    public void Dispose() => Directory.Delete(_reports, recursive: true);

    /// <summary>
    /// Each kind, ended OK and not, called as the lab's and by schema; sending at once (the next write races the
    /// server's end) and 200 ms apart (longer than the server takes to end the call, so that the next write finds it
    /// ended). The outcome must not depend on which comes first.
    /// </summary>
    public static TheoryData<CallKind, StatusCode, bool, int> Ends()
    {
        var ends = new TheoryData<CallKind, StatusCode, bool, int>();
        foreach (var kind in new[] { CallKind.Bidi, CallKind.ClientStream })
        {
            foreach (var status in new[] { StatusCode.ResourceExhausted, StatusCode.OK })
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
            Target = new TargetSpec { Address = TargetAddress.Parse($"static:{server.Urls.Single().Replace("http://", string.Empty, StringComparison.Ordinal)}") },
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
            $"expected {Calls} × {name}, counted: {string.Join(", ", totals.StatusCodes.Select(s => $"{s.Value} × {s.Key}"))}");
    }

    /// <summary>
    /// Answers the lab's client stream and bidi methods: reads the first request, replies to it (bidi; a client
    /// stream only when it ends OK), and ends the call with <paramref name="status"/>, leaving the rest unread.
    /// </summary>
    private static async Task<WebApplication> StartEndingServerAsync(StatusCode status)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.MapPost("/lab.v1.LoadLab/Bidi", context => EndAfterFirstMessageAsync(context, status, reply: true));
        app.MapPost("/lab.v1.LoadLab/ClientStream", context => EndAfterFirstMessageAsync(context, status, reply: status == StatusCode.OK));
        await app.StartAsync();
        return app;
    }

    private static async Task EndAfterFirstMessageAsync(HttpContext context, StatusCode status, bool reply)
    {
        context.Response.ContentType = "application/grpc";
        await ReadOneMessageAsync(context.Request.BodyReader);
        if (reply)
        {
            // One empty message (flag 0, length 0): every field at its default.
            await context.Response.Body.WriteAsync(new byte[5]);
            await context.Response.Body.FlushAsync();
        }

        context.Response.AppendTrailer("grpc-status", ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Reads one length-prefixed gRPC message (5-byte header: flag and big-endian length).</summary>
    private static async Task ReadOneMessageAsync(System.IO.Pipelines.PipeReader body)
    {
        var header = await body.ReadAtLeastAsync(5);
        var length = BinaryPrimitives.ReadInt32BigEndian(header.Buffer.Slice(1, 4).ToArray());
        body.AdvanceTo(header.Buffer.Start);
        var message = await body.ReadAtLeastAsync(5 + length);
        body.AdvanceTo(message.Buffer.GetPosition(5 + length));
    }
}

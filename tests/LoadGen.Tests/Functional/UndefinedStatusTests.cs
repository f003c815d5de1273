using GrpcLoadLab.LoadGen.Runner;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Terminal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GrpcLoadLab.LoadGen.Tests.Functional;

/// <summary>
/// A server may put any integer in <c>grpc-status</c>, and Grpc.Net.Client hands it on as it came. A code that gRPC
/// does not define is a failure under its number, in the run's totals and in its endpoint's: never a crash inside the
/// generator, never a call lost from the accounts. The server here is raw HTTP/2 on Kestrel, answering the lab's
/// unary method by hand: OK with an empty reply (which names no instance), 99 and -1 in turn.
/// </summary>
public sealed class UndefinedStatusTests : IDisposable
{
    private readonly string _reports = Directory.CreateTempSubdirectory("loadgen-status-").FullName;

    public void Dispose() => Directory.Delete(_reports, recursive: true);

    [Theory]
    [InlineData("closed")]
    [InlineData("open")]
    public async Task A_status_code_grpc_does_not_define_is_counted_under_its_number(string model)
    {
        await using var server = await StartRawServerAsync(["0", "99", "-1"]);
        LoadPhase phase = model == "open" ? new ConstantRatePhase(60, TimeSpan.FromSeconds(1)) : new IterationsPhase(3, 60);
        var scenario = new Scenario
        {
            Name = "undefined-status",
            Target = new TargetSpec { Address = RawGrpcServer.Target(server) },
            Call = new CallSpec(),
            Phases = [phase],
            Report = new ReportSpec { Directory = _reports },
        };

        var outcome = await new LoadRun(scenario, ProgressDisplay.Create(TextWriter.Null, isTerminal: false)).ExecuteAsync(CancellationToken.None);

        var totals = outcome.Result.Totals;
        Assert.True(totals.Calls.AddsUp, totals.Calls.ToString());
        Assert.Equal(totals.Calls.Started, totals.Calls.Succeeded + totals.Calls.Failed);
        Assert.Equal(totals.Calls.Succeeded, totals.StatusCodes["OK"]);
        Assert.Equal(totals.Calls.Failed, totals.StatusCodes["99"] + totals.StatusCodes["-1"]);
        Assert.True(totals.StatusCodes["99"] > 0 && totals.StatusCodes["-1"] > 0, string.Join(", ", totals.StatusCodes));
        Assert.DoesNotContain(outcome.Result.Verdict.InvalidReasons, r => r.Contains("inside the generator", StringComparison.Ordinal));
        // Its replies name no instance (instance_id left empty): the row is the balancer's count at its address.
        var endpoint = Assert.Single(outcome.Result.Endpoints);
        Assert.Null(endpoint.InstanceId);
        Assert.Equal((totals.Calls.Succeeded, totals.Calls.Failed, 1.0), (endpoint.Succeeded, endpoint.Failed, endpoint.Share));
        Assert.Equal(totals.StatusCodes["99"], endpoint.FailedByStatus["99"]);
        Assert.Equal(totals.StatusCodes["-1"], endpoint.FailedByStatus["-1"]);
    }

    /// <summary>Answers the lab's Unary with each of <paramref name="statuses"/> in turn (a trailers-only reply for a failure).</summary>
    private static Task<WebApplication> StartRawServerAsync(string[] statuses)
    {
        var next = -1L;
        return RawGrpcServer.StartAsync(app => app.MapPost("/lab.v1.LoadLab/Unary", async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            var status = statuses[Interlocked.Increment(ref next) % statuses.Length];
            context.Response.ContentType = "application/grpc";
            if (status == "0")
            {
                // One empty message (flag 0, length 0): every field at its default.
                await context.Response.Body.WriteAsync(new byte[5]);
                context.Response.AppendTrailer("grpc-status", status);
            }
            else
            {
                context.Response.Headers["grpc-status"] = status;
            }
        }));
    }
}

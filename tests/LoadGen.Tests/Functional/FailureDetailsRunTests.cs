using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Runner;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Terminal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GrpcLoadLab.LoadGen.Tests.Functional;

/// <summary>
/// A run says why its calls failed: the detail each failed status carried (a server's <c>grpc-message</c>, decoded),
/// counted per detail in result.json, up to the bound per status, the rest as unlisted. The server here is raw HTTP/2
/// on Kestrel answering the lab's unary method by hand: RESOURCE_EXHAUSTED with one message, and UNAVAILABLE with a
/// message that differs each call, in turn.
/// </summary>
public sealed class FailureDetailsRunTests : IDisposable
{
    private readonly string _reports = Directory.CreateTempSubdirectory("loadgen-failures-").FullName;

    public void Dispose() => Directory.Delete(_reports, recursive: true);

    [Fact]
    public async Task A_run_counts_its_failed_calls_by_the_detail_their_status_carried()
    {
        const int Calls = 40;
        var next = -1L;
        await using var server = await RawGrpcServer.StartAsync(app => app.MapPost("/lab.v1.LoadLab/Unary", async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            var call = Interlocked.Increment(ref next);
            context.Response.ContentType = "application/grpc";
            // A trailers-only reply; grpc-message is percent-encoded, as the gRPC protocol spells it.
            (context.Response.Headers["grpc-status"], context.Response.Headers["grpc-message"]) = call % 2 == 0
                ? ("8", "quota used up: 100 %25")
                : ("14", $"instance {call} went away");
        }));
        var scenario = new Scenario
        {
            Name = "failure-details",
            Target = new TargetSpec { Address = RawGrpcServer.Target(server) },
            Call = new CallSpec(),
            Phases = [new IterationsPhase(2, Calls)],
            Report = new ReportSpec { Directory = _reports },
        };

        var outcome = await new LoadRun(scenario, ProgressDisplay.Create(TextWriter.Null, isTerminal: false)).ExecuteAsync(CancellationToken.None);

        // As result.json holds them, read back.
        var totals = ResultJson.Read(outcome.ResultPath).Totals;
        Assert.Equal(Calls / 2, totals.StatusCodes["RESOURCE_EXHAUSTED"]);
        Assert.Equal([new FailureDetail("quota used up: 100 %", Calls / 2)], totals.Failures!["RESOURCE_EXHAUSTED"].Details);
        var unavailable = totals.Failures["UNAVAILABLE"];
        Assert.Equal(StatusFailures.MaxDetails, unavailable.Details.Count);
        Assert.All(unavailable.Details, d => Assert.Matches("^instance [0-9]+ went away$", d.Detail));
        Assert.Equal(totals.StatusCodes["UNAVAILABLE"], unavailable.Details.Sum(d => d.Calls) + unavailable.Unlisted);
        Assert.Equal(Calls / 2 - StatusFailures.MaxDetails, unavailable.Unlisted);
    }
}

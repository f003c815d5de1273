using Google.Protobuf;
using Grpc.Core;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.CodeScenarios;
using GrpcLoadLab.LoadGen.Runner;
using GrpcLoadLab.LoadGen.Scenarios;
using Xunit.Sdk;

namespace GrpcLoadLab.Examples.LoadTestInXunit;

/// <summary>
/// A load test as a test: the lab's fleet of <see cref="ScriptFleet.Instances"/> servers, a C# scenario whose step
/// makes a unary call through the balancer, and thresholds that decide whether the test passes.
/// </summary>
public sealed class CheckoutLoadTests(ScriptFleet fleet) : IClassFixture<ScriptFleet>
{
    /// <summary>Request payloads the steps take in turn.</summary>
    private static readonly Feeder<int> PayloadSizes = new("payload sizes", [64, 256, 1024], FeederOrder.Circular);

    [Fact]
    public async Task Checkout_holds_its_thresholds()
    {
        var outcome = await Checkout(["errors < 1%", "p99 < 2s"]).RunAsync();

        AssertThresholdsHeld(outcome);
        Assert.Equal(ScriptFleet.Instances, outcome.Result.Endpoints.Count(e => e.Succeeded > 0));
    }

    [Fact]
    public async Task A_threshold_that_does_not_hold_fails_the_test()
    {
        // No server answers within a microsecond: the same assertion must fail, naming the threshold.
        var outcome = await Checkout(["errors < 1%", "p99 < 1us"]).RunAsync();

        var failure = Assert.ThrowsAny<XunitException>(() => AssertThresholdsHeld(outcome));
        Assert.Contains("p99 < 1us", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Fails, naming each threshold that did not hold with what was measured, or why the run was not valid (a
    /// generator that could not keep up measured itself, not the servers), and where the report is.
    /// </summary>
    private static void AssertThresholdsHeld(RunOutcome outcome)
    {
        var verdict = outcome.Result.Verdict;
        var failed = verdict.Thresholds.Where(t => !t.Passed).Select(t => $"{t.Threshold} (measured {t.Actual:0.###} {t.Unit})");
        Assert.True(
            outcome.ExitCode == ExitCodes.Passed,
            $"the load test did not pass: {string.Join("; ", [.. failed, .. verdict.InvalidReasons])} — see {outcome.ResultPath}");
    }

    /// <summary>A closed model (no schedule to fall behind on a shared CI machine): 4 callers, after a warm-up.</summary>
    private CodeScenario Checkout(IReadOnlyList<string> thresholds) => new(
        new Scenario
        {
            Name = "checkout",
            Target = new TargetSpec { Address = TargetAddress.Parse(fleet.Target) },
            Phases =
            [
                new ConstantConcurrencyPhase(2, TimeSpan.FromSeconds(1)) { Warmup = true },
                new ConstantConcurrencyPhase(4, TimeSpan.FromSeconds(3)),
            ],
            Thresholds = thresholds,
            Report = new ReportSpec { Directory = fleet.Reports },
        },
        async context =>
        {
            var request = new WorkRequest { Payload = ByteString.CopyFrom(new byte[PayloadSizes.Next()]), ReplySize = 128, DelayMicros = 1_000 };
            var reply = await context.SubStepAsync("unary", () => context.Client<LoadLab.LoadLabClient>().UnaryAsync(request, context.CallOptions).ResponseAsync);

            // The step's own check of the reply: a call that answered wrongly is a failure, with a status of its own.
            return reply.Payload.Length == 128
                ? StepResult.Ok(request.CalculateSize(), reply.CalculateSize(), reply.InstanceId)
                : StepResult.Fail(StatusCode.Internal, $"a reply of {reply.Payload.Length} bytes, not 128", request.CalculateSize(), reply.CalculateSize());
        });
}

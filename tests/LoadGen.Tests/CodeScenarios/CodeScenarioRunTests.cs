using Google.Protobuf;
using Grpc.Core;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.CodeScenarios;
using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Runner;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Terminal;

namespace GrpcLoadLab.LoadGen.Tests.CodeScenarios;

/// <summary>A C# scenario against a real lab server: the CLI's engine, its files, its accounting and its verdict.</summary>
public sealed class CodeScenarioRunTests : IDisposable
{
    private static readonly WorkRequest Request = new() { Payload = ByteString.CopyFrom(new byte[64]), ReplySize = 128 };

    private readonly string _reports = Directory.CreateTempSubdirectory("loadgen-code-").FullName;

    public void Dispose() => Directory.Delete(_reports, recursive: true);

    [Fact]
    public async Task A_CSharp_run_leaves_what_loadgen_run_leaves_and_compares_with_a_run_of_the_CLI()
    {
        await using var server = await InProcessFleet.StartAsync();
        var scenario = new CodeScenario(
            Settings(server, "csharp-unary") with
            {
                Phases = [new ConstantConcurrencyPhase(2, TimeSpan.FromSeconds(0.5)) { Warmup = true }, new ConstantRatePhase(100, TimeSpan.FromSeconds(1))],
                Thresholds = ["errors < 1%"],
            },
            async context =>
            {
                var reply = await context.SubStepAsync("unary", () => context.Client<LoadLab.LoadLabClient>().UnaryAsync(Request, context.CallOptions).ResponseAsync);
                return StepResult.Ok(Request.CalculateSize(), reply.CalculateSize(), reply.InstanceId);
            });
        var output = new StringWriter();

        var code = await scenario.RunAsync(output);

        var folder = Path.GetDirectoryName(code.ResultPath)!;
        foreach (var file in new[] { RunReportWriter.ReportFile, RunReportWriter.SummaryFile, RunReportWriter.StatsFile })
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), $"{file} was not written");
        }

        var result = ResultJson.Read(code.ResultPath);
        Assert.Equal(ExpectedExitCode(code, ExitCodes.Passed), code.ExitCode);
        Assert.False(result.Partial);
        Assert.True(result.Totals.Calls.AddsUp);
        Assert.Equal(100, result.Totals.Calls.Succeeded);
        Assert.Equal(new Dictionary<string, long> { ["OK"] = 100 }, result.Totals.StatusCodes);
        Assert.Equal(100 * Request.CalculateSize(), result.Totals.BytesSent);
        Assert.NotNull(result.Totals.ScheduleLag);
        Assert.Equal(100, Assert.Single(result.Endpoints).Succeeded);
        // The sub-step is timed in the measured phase only: once per measured step, none of the warm-up's.
        var subStep = Assert.Single(result.SubSteps);
        Assert.Equal(("unary", 100L, 0L, 100L), (subStep.Name, subStep.Succeeded, subStep.Failed, subStep.Latency.Count));
        Assert.Contains("sub-steps (measured phases)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("| unary | 100 | 0 |", File.ReadAllText(Path.Combine(folder, RunReportWriter.SummaryFile)), StringComparison.Ordinal);
        Assert.Contains(RunFolders.All(_reports), run => run.Folder == Path.GetFileName(folder));

        // The same load from a scenario file, on the CLI's path: the two compare like any two runs.
        var cli = await RunFileAsync(server, """{"name": "cli-unary", "call": {"requestSize": 64, "replySize": 128, "description": "the cart, by the typed driver"}, "phases": [{"type": "constant-rate", "rate": 100, "duration": "1s"}]}""");
        var runs = RunFolders.ReadComparable([Path.GetDirectoryName(cli.ResultPath)!, folder]);
        var page = ComparePage.Render(runs);
        Assert.Contains("#1 cli-unary: p99", page, StringComparison.Ordinal);
        Assert.Contains("#2 csharp-unary: p99", page, StringComparison.Ordinal);

        // What each run's calls do: the file's description, and the C# scenario's default, which names no call.
        Assert.Equal(CodeScenario.DefaultCallDescription, result.Scenario.Call.Description);
        Assert.Contains("<td>unary: the cart, by the typed driver</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td>unary: a C# scenario&#39;s step</td>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_step_ends_exactly_one_way_whatever_it_returns_or_throws()
    {
        await using var server = await InProcessFleet.StartAsync();
        var ids = new Feeder<int>("ids", Enumerable.Range(1, 10), FeederOrder.InOrder);
        var scenario = new CodeScenario(
            Settings(server, "outcomes") with
            {
                Call = new CallSpec { Deadline = TimeSpan.FromMilliseconds(200) },
                Phases = [new IterationsPhase(4, 60)],
            },
            async context =>
            {
                switch (context.Invocation % 6)
                {
                    case 0:
                        return StepResult.Ok();
                    case 1:
                        return StepResult.Fail(StatusCode.Unavailable, "no answer");
                    case 2:
                        throw new InvalidOperationException("a bug in the step");
                    case 3:
                        throw new RpcException(new Status(StatusCode.ResourceExhausted, "full"));
                    case 4:
                        await Task.Delay(Timeout.Infinite, context.CancellationToken);
                        return StepResult.Ok();
                    default:
                        // The first such step takes the ten ids, and each finds the in-order feeder empty.
                        while (true)
                        {
                            ids.Next();
                        }
                }
            });

        var outcome = await scenario.RunAsync();

        var totals = outcome.Result.Totals;
        Assert.Equal((60L, 10L, 50L, 0L), (totals.Calls.Started, totals.Calls.Succeeded, totals.Calls.Failed, totals.Calls.Cancelled));
        Assert.Equal(
            new Dictionary<string, long> { ["DEADLINE_EXCEEDED"] = 10, ["OK"] = 10, ["OUT_OF_RANGE"] = 10, ["RESOURCE_EXHAUSTED"] = 10, ["UNAVAILABLE"] = 10, ["UNKNOWN"] = 10 },
            totals.StatusCodes);
        // The step's failures are the calls', never the generator's own.
        Assert.DoesNotContain(outcome.Result.Verdict.InvalidReasons, reason => reason.Contains("inside the generator", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_step_that_never_ends_and_ignores_its_token_counts_at_its_deadline_and_the_run_still_ends()
    {
        await using var server = await InProcessFleet.StartAsync();
        var never = new TaskCompletionSource<StepResult>();
        var scenario = new CodeScenario(
            Settings(server, "never-ends") with
            {
                Call = new CallSpec { Deadline = TimeSpan.FromMilliseconds(200) },
                Phases = [new ConstantConcurrencyPhase(2, TimeSpan.FromSeconds(1)), new ConstantRatePhase(20, TimeSpan.FromSeconds(1))],
            },
            context => context.Invocation % 3 == 0 ? new ValueTask<StepResult>(never.Task) : ValueTask.FromResult(StepResult.Ok()));

        // Before, a closed-model caller waited for such a step for ever, and the run never ended.
        var outcome = await scenario.RunAsync().WaitAsync(TimeSpan.FromSeconds(60));

        var calls = outcome.Result.Totals.Calls;
        Assert.True(calls.AddsUp, $"{calls.Started} started, {calls.Succeeded} + {calls.Failed} + {calls.Cancelled} ended");
        Assert.Equal(calls.Failed, outcome.Result.Totals.StatusCodes["DEADLINE_EXCEEDED"]);
        Assert.True(calls.Failed > 0 && calls.Succeeded > 0);
        Assert.All(outcome.Result.Phases, phase => Assert.True(phase.Stats.Calls.Failed > 0, $"phase {phase.Index}: no step ran past its deadline"));
    }

    [Fact]
    public async Task An_interrupted_run_ends_even_when_its_steps_in_flight_ignore_their_token()
    {
        await using var server = await InProcessFleet.StartAsync();
        using var interrupt = new CancellationTokenSource();
        var never = new TaskCompletionSource<StepResult>();
        var scenario = new CodeScenario(
            Settings(server, "interrupted-never") with
            {
                Call = new CallSpec { Deadline = TimeSpan.FromMinutes(10) },
                Phases = [new ConstantConcurrencyPhase(4, TimeSpan.FromMinutes(5))],
            },
            context =>
            {
                if (context.Invocation == 4)
                {
                    interrupt.CancelAfter(TimeSpan.FromMilliseconds(300));
                }

                return new ValueTask<StepResult>(never.Task);
            });

        var outcome = await scenario.RunAsync(cancellationToken: interrupt.Token).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(ExitCodes.Interrupted, outcome.ExitCode);
        var result = ResultJson.Read(outcome.ResultPath);
        Assert.True(result.Partial);
        Assert.Equal((4L, 4L), (result.Totals.Calls.Started, result.Totals.Calls.Cancelled));
    }

    [Fact]
    public async Task An_interrupted_CSharp_run_keeps_what_it_measured_marked_partial()
    {
        await using var server = await InProcessFleet.StartAsync();
        using var interrupt = new CancellationTokenSource();
        var scenario = new CodeScenario(
            Settings(server, "interrupted") with { Phases = [new ConstantRatePhase(100, TimeSpan.FromMinutes(5))] },
            async context =>
            {
                // Once some steps have ended, with others still in flight.
                if (context.Invocation == 60)
                {
                    await interrupt.CancelAsync();
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), context.CancellationToken);
                return StepResult.Ok();
            });

        var outcome = await scenario.RunAsync(cancellationToken: interrupt.Token);

        Assert.Equal(ExitCodes.Interrupted, outcome.ExitCode);
        var result = ResultJson.Read(outcome.ResultPath);
        Assert.True(result.Partial);
        Assert.True(result.Totals.Calls.AddsUp);
        Assert.True(result.Totals.Calls.Succeeded > 0);
        Assert.True(result.Totals.Calls.Cancelled > 0, "steps in flight at the interrupt are cancelled");
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(outcome.ResultPath)!, RunReportWriter.ReportFile)));
    }

    [Fact]
    public async Task Thresholds_decide_the_exit_code_as_for_a_scenario_file()
    {
        await using var server = await InProcessFleet.StartAsync();
        var settings = Settings(server, "thresholds") with { Call = new CallSpec { Deadline = TimeSpan.FromSeconds(5), Description = "a 2 ms <wait>" } };
        var scenario = new CodeScenario(settings, async context =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(2), context.CancellationToken);
            return StepResult.Ok();
        });

        var failing = await (scenario with { Settings = scenario.Settings with { Thresholds = ["errors < 1%", "p99 < 1us"] } }).RunAsync();
        var passing = await (scenario with { Settings = scenario.Settings with { Thresholds = ["errors < 1%", "p99 < 10s"] } }).RunAsync();

        Assert.Equal([true, false], failing.Result.Verdict.Thresholds.Select(t => t.Passed));
        Assert.Equal(ExpectedExitCode(failing, ExitCodes.ThresholdsFailed), failing.ExitCode);
        Assert.Equal([true, true], passing.Result.Verdict.Thresholds.Select(t => t.Passed));
        Assert.Equal(ExpectedExitCode(passing, ExitCodes.Passed), passing.ExitCode);
        // The scenario's own description of its step, in result.json and on its report.
        Assert.Equal(settings.Call, passing.Result.Scenario.Call);
        Assert.Contains("<td>call</td><td>unary: a 2 ms &lt;wait&gt;</td>", File.ReadAllText(Path.Combine(Path.GetDirectoryName(passing.ResultPath)!, RunReportWriter.ReportFile)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_a_CSharp_scenario_cannot_run_is_refused_in_one_line_before_any_load()
    {
        await using var server = await InProcessFleet.StartAsync();
        var settings = Settings(server, "refused");
        ScenarioStep step = _ => ValueTask.FromResult(StepResult.Ok());

        var badRate = await Refusal(settings with { Phases = [new ConstantRatePhase(0, TimeSpan.FromSeconds(1))] });
        var dataCall = await Refusal(settings with { Call = new CallSpec { RequestSize = 10 } });
        var kill = await Refusal(settings with
        {
            Target = new TargetSpec { Address = TargetAddress.Parse(server.FileTarget) },
            Faults = [new KillFault(TimeSpan.Zero, 1)],
        });
        var badThreshold = await Refusal(settings with { Thresholds = ["p99 < 50"] });

        Assert.StartsWith("the C# scenario 'refused': $.phases[0].rate: ", badRate, StringComparison.Ordinal);
        Assert.StartsWith("the C# scenario 'refused': $.call: a C# scenario's calls are its step", dataCall, StringComparison.Ordinal);
        Assert.StartsWith("the C# scenario 'refused': $.faults: kill, terminate and restart need the fleet script", kill, StringComparison.Ordinal);
        Assert.StartsWith("the C# scenario 'refused': $.thresholds[0]: threshold 'p99 < 50': give a unit", badThreshold, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_reports));

        async Task<string> Refusal(Scenario scenario) =>
            (await Assert.ThrowsAsync<ScenarioException>(() => new CodeScenario(scenario, step).RunAsync())).Message;
    }

    /// <summary>
    /// On a busy machine the generator may miss its schedule: the run is then marked invalid (saying why), and that
    /// verdict comes before the thresholds'.
    /// </summary>
    private static int ExpectedExitCode(RunOutcome outcome, int whenValid) =>
        outcome.Result.Verdict.Valid ? whenValid : ExitCodes.Invalid;

    private Scenario Settings(InProcessFleet server, string name) => new()
    {
        Name = name,
        Target = new TargetSpec { Address = TargetAddress.Parse(server.StaticTarget) },
        Phases = [new ConstantConcurrencyPhase(2, TimeSpan.FromSeconds(0.5))],
        Report = new ReportSpec { Directory = _reports },
    };

    /// <summary>A scenario file run as <c>loadgen run</c> runs it: loaded, run by <see cref="LoadRun"/>, its pages written.</summary>
    private async Task<RunOutcome> RunFileAsync(InProcessFleet server, string json)
    {
        var scenario = ScenarioLoader.Parse(json, "cli.json") with
        {
            Target = new TargetSpec { Address = TargetAddress.Parse(server.StaticTarget) },
            Report = new ReportSpec { Directory = _reports },
        };
        var outcome = await new LoadRun(scenario, ProgressDisplay.Create(TextWriter.Null, isTerminal: false)).ExecuteAsync(CancellationToken.None);
        RunReportWriter.Write(outcome.Result, Path.GetDirectoryName(outcome.ResultPath)!);
        return outcome;
    }
}

using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Runner;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Terminal;

namespace GrpcLoadLab.LoadGen.Tests.Functional;

/// <summary>
/// A run that measured nothing, or lost track of what it measured, never passes; and what it measured is never lost
/// to a folder that refuses it. The runner is the real one, against a real server; each scenario is built here
/// without the validator, to reach the states that validation would otherwise keep a user from.
/// </summary>
public sealed class RunAccountingTests : IDisposable
{
    private readonly string _reports = Directory.CreateTempSubdirectory("loadgen-accounting-").FullName;

    public void Dispose() => Directory.Delete(_reports, recursive: true);

    public static TheoryData<string, LoadPhase> OpenAndClosedPhases => new()
    {
        { "open", new ConstantRatePhase(100, TimeSpan.FromSeconds(1)) },
        { "closed", new ConstantConcurrencyPhase(2, TimeSpan.FromSeconds(1)) },
        { "iterations", new IterationsPhase(2, 20) },
    };

    [Theory]
    [MemberData(nameof(OpenAndClosedPhases))]
    public async Task A_call_the_generator_itself_fails_is_counted_and_makes_the_run_invalid(string model, LoadPhase phase)
    {
        await using var server = await InProcessFleet.StartAsync();
        // The issue's own deadline (validation now refuses it): past DateTime's range, so every call throws inside the
        // generator before it reaches the server.
        var scenario = Scenario(server, phase) with { Call = new CallSpec { Deadline = TimeSpan.FromHours(100_000_000) }, Thresholds = ["errors <= 100%"] };

        var outcome = await RunAsync(scenario);

        var calls = outcome.Result.Totals.Calls;
        Assert.True(calls.Started > 0, model);
        Assert.True(calls.AddsUp, $"{model}: {calls}");
        Assert.Equal(calls.Started, calls.Failed);
        Assert.False(outcome.Result.Verdict.Valid);
        Assert.Contains(outcome.Result.Verdict.InvalidReasons, r => r.Contains("inside the generator", StringComparison.Ordinal) && r.Contains(nameof(ArgumentOutOfRangeException), StringComparison.Ordinal));
        Assert.True(outcome.ExitCode == ExitCodes.Invalid, $"exit {outcome.ExitCode}: {outcome.Result.PartialReason}");
    }

    [Fact]
    public async Task A_run_whose_measured_phase_never_ran_is_invalid_however_its_thresholds_read()
    {
        await using var server = await InProcessFleet.StartAsync();
        using var interrupt = new CancellationTokenSource();
        var display = new SignallingDisplay(snapshot => snapshot.Succeeded > 0);
        var scenario = Scenario(server, new ConstantRatePhase(50, TimeSpan.FromMinutes(5)) { Warmup = true }) with
        {
            Phases = [new ConstantRatePhase(50, TimeSpan.FromMinutes(5)) { Warmup = true }, new ConstantRatePhase(50, TimeSpan.FromSeconds(1))],
            Thresholds = ["errors < 1%"],
        };

        var run = new LoadRun(scenario, display).ExecuteAsync(interrupt.Token);
        await display.Signalled.WaitAsync(TimeSpan.FromMinutes(1));
        await interrupt.CancelAsync();
        var outcome = await run;

        Assert.True(outcome.Result.Verdict.ThresholdsPassed, "no call ended in the measured phases, so no error either");
        Assert.False(outcome.Result.Verdict.Valid);
        Assert.Contains("no call ended in the measured phases: nothing was measured", outcome.Result.Verdict.InvalidReasons);
        // The warm-up's calls named their instance: the rows are the measured phases', with nothing in them.
        Assert.All(outcome.Result.Endpoints, e => Assert.Equal((0L, 0.0), (e.Succeeded, e.Share)));
        Assert.Equal(ExitCodes.Interrupted, outcome.ExitCode);
    }

    [Fact]
    public async Task A_result_its_folder_refuses_after_the_load_goes_to_the_temporary_folder_and_says_where()
    {
        await using var server = await InProcessFleet.StartAsync();
        using var interrupt = new CancellationTokenSource();
        var display = new SignallingDisplay(snapshot => snapshot.Succeeded > 0);
        var folder = Path.Combine(_reports, "runs");
        var scenario = Scenario(server, new ConstantRatePhase(50, TimeSpan.FromMinutes(5))) with { Report = new ReportSpec { Directory = folder } };

        var run = new LoadRun(scenario, display).ExecuteAsync(interrupt.Token);
        await display.Signalled.WaitAsync(TimeSpan.FromMinutes(1));
        // The folder could be made before the load (it is made when the result is written); now a file stands there.
        Assert.False(Directory.Exists(folder), "the check before the load left a folder behind");
        await File.WriteAllTextAsync(folder, "not a folder any more");
        await interrupt.CancelAsync();
        var outcome = await run;

        try
        {
            Assert.StartsWith(Path.GetFullPath(OutputFolder.Fallback), Path.GetFullPath(outcome.ResultPath), StringComparison.Ordinal);
            Assert.Contains(outcome.ResultPath, outcome.Warning, StringComparison.Ordinal);
            var kept = ResultJson.Read(outcome.ResultPath);
            Assert.True(kept.Totals.Calls.Succeeded > 0);
            Assert.NotEqual(ExitCodes.BadInput, outcome.ExitCode);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(outcome.ResultPath)!, recursive: true);
        }
    }

    private Scenario Scenario(InProcessFleet server, LoadPhase phase) => new()
    {
        Name = "accounting",
        Target = new TargetSpec { Address = TargetAddress.Parse(server.StaticTarget) },
        Call = new CallSpec(),
        Phases = [phase],
        Report = new ReportSpec { Directory = _reports },
    };

    private static Task<RunOutcome> RunAsync(Scenario scenario) =>
        new LoadRun(scenario, ProgressDisplay.Create(TextWriter.Null, isTerminal: false)).ExecuteAsync(CancellationToken.None);
}

extern alias LoadGen;

using GrpcLoadLab.EndToEnd.Tests.Fleet;
using GrpcLoadLab.EndToEnd.Tests.Processes;
using LoadGen::GrpcLoadLab.LoadGen.Results;
using LoadGen::GrpcLoadLab.LoadGen.Runner;

namespace GrpcLoadLab.EndToEnd.Tests.LoadGen;

/// <summary><c>loadgen run</c> against server processes started by the fleet script, as a user runs it.</summary>
public class LoadGenRunTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData("unary-closed.json")]
    [InlineData("unary-open.json")]
    [InlineData("server-stream.json")]
    [InlineData("client-stream.json")]
    [InlineData("bidi.json")]
    public async Task A_ready_scenario_runs_through_the_fleet_and_its_result_adds_up(string scenario)
    {
        await using var fleet = new LabFleet();
        var basePort = FreePorts.FindRange(3);
        var start = await fleet.RunAsync(TimeSpan.FromMinutes(5), "start", "3", "--base-port", basePort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(start.ExitCode == 0, start.ToString());

        var (exitCode, run) = await LoadGenProcess.RunAsync(
            RunLimit,
            "run", Path.Combine(RepositoryPaths.Root, "scenarios", scenario), "--target", $"file:{fleet.RegistryPath}", "--duration", "2s");
        await using (run)
        {
            var result = run.ReadResult();
            var verdict = result.Verdict;
            var expected = !verdict.Valid ? ExitCodes.Invalid : verdict.ThresholdsPassed ? ExitCodes.Passed : ExitCodes.ThresholdsFailed;
            Assert.True(expected == exitCode, $"exit {exitCode}, expected {expected}\n{run.StandardOutput}{run.StandardError}");
            Assert.False(result.Partial);
            Assert.True(result.Totals.Calls.AddsUp);
            Assert.True(result.Totals.Calls.Succeeded > 0);
            Assert.Equal(3, result.Environment.ServerCount);
            // Round-robin over the three instances, each named by the replies and mapped to its address.
            Assert.Equal(3, result.Endpoints.Count(e => e.InstanceId is not null && e.Succeeded > 0));
            Assert.All(result.Servers, s => Assert.NotNull(s.End));
            Assert.Contains($"result: reports/", run.StandardOutput, StringComparison.Ordinal);
            AssertDispatcherFigures(result);
        }
    }

    /// <summary>
    /// An open-model phase tells how the machine treated the dispatcher that paced it, within the phase's own time; a
    /// closed-model one, which has no dispatcher, tells nothing.
    /// </summary>
    private static void AssertDispatcherFigures(RunResult result)
    {
        foreach (var phase in result.Phases)
        {
            var open = phase.Stats.ScheduleLag is not null;
            Assert.Equal(open, phase.Stats.Dispatcher is not null);
            if (phase.Stats.Dispatcher is { } dispatcher)
            {
                Assert.True(dispatcher.WakeUpLateness?.Count > 0, $"{phase.Name}: no sleep of the dispatcher counted");
                // Both times are rounded to the millisecond.
                Assert.InRange(dispatcher.PacedSeconds, 0.001, phase.EndSeconds - phase.StartSeconds + 0.002);
                Assert.InRange(dispatcher.RealTimeSeconds, 0, dispatcher.PacedSeconds);
                // A spin was learnt before every call (at least 250 µs, bounded by 5 % of the gap) and never over 1 ms.
                Assert.InRange(dispatcher.LongestSpinMicros, 1, 1_000);
            }
        }

        Assert.Equal(result.Totals.ScheduleLag is not null, result.Totals.Dispatcher is not null);
    }

    [Fact]
    public async Task Sigint_ends_the_run_and_still_writes_its_result_marked_partial()
    {
        await using var server = await ServerProcess.StartAsync();
        var scenario = Path.Combine(RepositoryPaths.Root, "scenarios", "unary-open.json");
        await using var run = LoadGenProcess.Start("run", scenario, "--target", $"static:127.0.0.1:{server.Port}", "--duration", "5m");
        await run.WaitForOutputAsync("calls/s");

        await run.SignalAsync("INT");
        var exitCode = await run.WaitForExitAsync(RunLimit);

        Assert.True(exitCode == ExitCodes.Interrupted, $"exit {exitCode}\n{run.StandardOutput}{run.StandardError}");
        var result = run.ReadResult();
        Assert.True(result.Partial);
        Assert.True(result.Totals.Calls.AddsUp);
        Assert.Contains("PARTIAL", run.StandardOutput, StringComparison.Ordinal);
        // Its pages too: an interrupted run is reported like any other, marked partial.
        var folder = Assert.Single(Directory.GetDirectories(Path.Combine(run.WorkingDirectory, "reports")));
        Assert.Contains("PARTIAL", await File.ReadAllTextAsync(Path.Combine(folder, "report.html")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"call\":{},\"phases\":[{\"type\":\"constant-rate\",\"rate\":10,\"duration\":\"1s\"}],\"colour\":1}", "colour")]
    [InlineData("{\"name\":\"x\",\"call\":{},\"phases\":[{\"type\":\"constant-rate\",\"rate\":0,\"duration\":\"1s\"}]}", "$.phases[0].rate")]
    [InlineData("{\"name\":\"x\",\"call\":{},\"phases\":[{\"type\":\"constant-rate\",\"rate\":10,\"duration\":\"1 second\"}]}", "$.phases[0].duration")]
    public async Task A_bad_scenario_exits_2_with_one_line_naming_the_key(string json, string named)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, json);
        try
        {
            var (exitCode, run) = await LoadGenProcess.RunAsync(RunLimit, "run", file, "--target", "static:127.0.0.1:9");
            await using (run)
            {
                Assert.Equal(ExitCodes.BadInput, exitCode);
                var line = Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                Assert.StartsWith("loadgen: ", line, StringComparison.Ordinal);
                Assert.Contains(named, line, StringComparison.Ordinal);
                Assert.DoesNotContain("   at ", run.StandardError, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_unreachable_target_exits_2_before_any_load()
    {
        var scenario = Path.Combine(RepositoryPaths.Root, "scenarios", "unary-closed.json");
        var (exitCode, run) = await LoadGenProcess.RunAsync(RunLimit, "run", scenario, "--target", $"static:127.0.0.1:{FreePorts.FindRange(1)}");
        await using (run)
        {
            Assert.Equal(ExitCodes.BadInput, exitCode);
            Assert.Contains("no server of static:127.0.0.1:", run.StandardError, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(run.WorkingDirectory, "reports")));
        }
    }
}

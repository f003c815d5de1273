extern alias LoadGen;

using System.Net;
using System.Net.Sockets;
using GrpcLoadLab.EndToEnd.Tests.LoadGen;
using GrpcLoadLab.EndToEnd.Tests.Processes;
using LoadGen::GrpcLoadLab.LoadGen.Results;
using LoadGen::GrpcLoadLab.LoadGen.Runner;

namespace GrpcLoadLab.EndToEnd.Tests.CommandLine;

/// <summary>
/// What is kept when the output cannot be written or a signal comes at the wrong moment, through the real command:
/// an output folder that cannot hold the result is refused before any load; a signal while connecting, during the
/// warm-up or while measuring ends the run promptly with exit 130 and the result it has (or a line saying it has
/// none); a sweep interrupted while its fleet starts runs no cell, writes its sweep.json and stops the fleet.
/// </summary>
public class LoadGenOutputAndSignalTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    public static TheoryData<string, string> UnwritableFolders => new()
    {
        { "afile", "is a file" },
        { "afile/below", "lies under" },
        { "/proc/loadgen-reports", "cannot be created or written" },
    };

    [Theory]
    [MemberData(nameof(UnwritableFolders))]
    public async Task A_results_folder_that_cannot_be_written_is_refused_before_any_load(string folder, string named)
    {
        // No server listens: a run that got as far as connecting would say "no server answered" instead.
        var scenario = LoadGenLimitsTests.WriteScenario(
            $"\"phases\": [{{\"type\": \"constant-rate\", \"rate\": 10, \"duration\": \"1s\"}}], \"report\": {{\"directory\": \"{folder}\"}}");
        await using var run = LoadGenProcess.Start("run", scenario);
        await File.WriteAllTextAsync(Path.Combine(run.WorkingDirectory, "afile"), "not a folder");

        var exitCode = await run.WaitForExitAsync(Limit);

        Assert.True(exitCode == ExitCodes.BadInput, $"exit {exitCode}\n{run.StandardOutput}{run.StandardError}");
        var line = Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("results folder", line, StringComparison.Ordinal);
        Assert.Contains(named, line, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(UnwritableFolders))]
    public async Task A_sweep_whose_reports_folder_cannot_be_written_is_refused_before_its_fleet_starts(string folder, string named)
    {
        var work = Directory.CreateTempSubdirectory("loadgen-sweep-out-").FullName;
        try
        {
            var fleet = FakeFleet.Write(work, startSeconds: 0);
            var sweep = WriteSweep(work);
            await File.WriteAllTextAsync(Path.Combine(work, "afile"), "not a folder");
            var reports = folder.StartsWith('/') ? folder : Path.Combine(work, folder);

            var (exitCode, run) = await LoadGenProcess.RunAsync(Limit, "sweep", sweep, "--fleet-script", fleet, "--lab-dir", Path.Combine(work, "lab"), "--reports", reports);
            await using (run)
            {
                Assert.True(exitCode == ExitCodes.BadInput, $"exit {exitCode}\n{run.StandardOutput}{run.StandardError}");
                var line = Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                Assert.Contains("--reports", line, StringComparison.Ordinal);
                Assert.Contains(named, line, StringComparison.Ordinal);
                Assert.False(File.Exists(Path.Combine(work, "fleet-calls.txt")), "the fleet script was run");
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task A_signal_while_connecting_exits_130_saying_nothing_was_measured(string signal)
    {
        // A listener that accepts connections and never speaks HTTP/2: the run stays in its connecting stage.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var scenario = LoadGenLimitsTests.WriteScenario("\"phases\": [{\"type\": \"constant-rate\", \"rate\": 10, \"duration\": \"1s\"}]");
        await using var run = LoadGenProcess.Start("run", scenario, "--target", $"static:127.0.0.1:{port}");
        using var accepted = await silent.AcceptTcpClientAsync().WaitAsync(Limit);

        await run.SignalAsync(signal);
        var exitCode = await run.WaitForExitAsync(Limit);

        Assert.True(exitCode == ExitCodes.Interrupted, $"exit {exitCode}\n{run.StandardOutput}{run.StandardError}");
        var line = Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("interrupted while connecting", line, StringComparison.Ordinal);
        Assert.Contains("nothing was measured", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StandardOutput + run.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INT", true)]
    [InlineData("TERM", true)]
    [InlineData("TERM", false)]
    public async Task A_signal_during_the_load_ends_the_run_promptly_and_keeps_its_result(string signal, bool inWarmup)
    {
        await using var server = await ServerProcess.StartAsync();
        // Both phases far longer than the test: the signal, not the clock, ends the run.
        var scenario = LoadGenLimitsTests.WriteScenario(
            $"\"phases\": [{{\"type\": \"constant-rate\", \"rate\": 50, \"duration\": \"{(inWarmup ? "5m" : "2s")}\", \"warmup\": true}}, {{\"type\": \"constant-rate\", \"rate\": 50, \"duration\": \"5m\"}}]");
        await using var run = LoadGenProcess.Start("run", scenario, "--target", $"static:127.0.0.1:{server.Port}");
        await run.WaitForOutputAsync(inWarmup ? "phase 1/2" : "phase 2/2");

        await run.SignalAsync(signal);
        // Well inside the 30 s that System.CommandLine gives the run before it gives up on it with 143.
        var exitCode = await run.WaitForExitAsync(Limit);

        Assert.True(exitCode == ExitCodes.Interrupted, $"exit {exitCode}\n{run.StandardOutput}{run.StandardError}");
        var result = run.ReadResult();
        Assert.True(result.Partial);
        Assert.True(result.Totals.Calls.AddsUp);
        // Its pages as after any run, marked partial.
        Assert.Contains("report: ", run.StandardOutput, StringComparison.Ordinal);
        if (inWarmup)
        {
            // Nothing measured: the result says so in its verdict, and never passes.
            Assert.False(result.Verdict.Valid);
            Assert.Contains(result.Verdict.InvalidReasons, r => r.Contains("nothing was measured", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_sweep_interrupted_while_its_fleet_starts_runs_no_cell_writes_its_sweep_and_stops_the_fleet()
    {
        var work = Directory.CreateTempSubdirectory("loadgen-sweep-sig-").FullName;
        try
        {
            // The fleet takes its time to start, as a real one on a busy machine does.
            var fleet = FakeFleet.Write(work, startSeconds: 20);
            var calls = Path.Combine(work, "fleet-calls.txt");
            await using var sweep = LoadGenProcess.Start("sweep", WriteSweep(work), "--fleet-script", fleet, "--lab-dir", Path.Combine(work, "lab"), "--reports", Path.Combine(work, "reports"));
            await WaitUntilAsync(() => File.Exists(calls) && File.ReadAllText(calls).Contains("start", StringComparison.Ordinal));

            await sweep.SignalAsync("INT");
            var exitCode = await sweep.WaitForExitAsync(Limit);

            Assert.True(exitCode == ExitCodes.Interrupted, $"exit {exitCode}\n{sweep.StandardOutput}{sweep.StandardError}");
            var sweepFile = Assert.Single(Directory.GetFiles(Path.Combine(work, "reports"), SweepJson.FileName, SearchOption.AllDirectories));
            var result = SweepJson.Read(sweepFile);
            Assert.True(result.Partial);
            Assert.Empty(result.Cells);
            // Started, then stopped: the fleet is not left running.
            var lines = await File.ReadAllLinesAsync(calls);
            Assert.Equal("stop", lines[^1].Split(' ')[0]);
            Assert.Contains(lines, l => l.StartsWith("start", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string WriteSweep(string folder)
    {
        var scenario = LoadGenLimitsTests.WriteScenario("\"phases\": [{\"type\": \"constant-concurrency\", \"concurrency\": 1, \"duration\": \"1s\"}]", folder);
        var sweep = Path.Combine(folder, "sweep.json");
        File.WriteAllText(sweep, $"{{\"name\": \"sig\", \"scenario\": \"{Path.GetFileName(scenario)}\", \"instances\": [1], \"concurrency\": [1], \"warmup\": \"1s\", \"duration\": \"1s\", \"basePort\": 6790}}");
        return sweep;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(Limit);
        while (!condition())
        {
            await Task.Delay(50, limit.Token);
        }
    }
}

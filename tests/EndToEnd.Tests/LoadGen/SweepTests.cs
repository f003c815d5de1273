extern alias LoadGen;

using System.Globalization;
using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.EndToEnd.Tests.Fleet;
using GrpcLoadLab.EndToEnd.Tests.Processes;
using LoadGen::GrpcLoadLab.LoadGen.Results;
using LoadGen::GrpcLoadLab.LoadGen.Runner;

namespace GrpcLoadLab.EndToEnd.Tests.LoadGen;

/// <summary>
/// <c>loadgen sweep</c> as a user runs it: a tiny sweep (2 instance counts × 2 loads, a few seconds each) whose fleets
/// the real fleet script starts and stops, ending in a study report made from the runs' results.
/// </summary>
public class SweepTests
{
    private static readonly TimeSpan SweepLimit = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_tiny_sweep_runs_every_cell_on_its_own_fleet_and_writes_the_study()
    {
        await using var fleet = new LabFleet();
        var (exitCode, sweep) = await LoadGenProcess.RunAsync(SweepLimit, SweepArguments(fleet, WriteSweep(durationSeconds: 2)));
        await using (sweep)
        {
            Assert.True(exitCode == ExitCodes.Passed, $"exit {exitCode}\n{sweep.StandardOutput}{sweep.StandardError}");
            var (folder, result) = ReadSweep(sweep);
            Assert.False(result.Partial);
            Assert.Equal([(1, 4.0), (1, 8.0), (2, 8.0), (2, 16.0)], result.Cells.Select(c => (c.Instances, c.Load)));
            foreach (var cell in result.Cells)
            {
                var run = ResultJson.Read(Path.Combine(sweep.WorkingDirectory, "reports", cell.RunFolder!, ResultJson.FileName));
                // Each cell ran on a fleet of its own size, through the balancer, and every call it started is accounted for.
                Assert.Equal(cell.Instances, run.Environment.ServerCount);
                Assert.Equal(cell.Instances, run.Endpoints.Count(e => e.Succeeded > 0));
                Assert.True(run.Totals.Calls.AddsUp);
                Assert.Equal(0, run.Totals.Calls.Failed);
                Assert.True(File.Exists(Path.Combine(sweep.WorkingDirectory, "reports", cell.RunFolder!, "report.html")));
            }

            var study = await File.ReadAllTextAsync(Path.Combine(folder, "study.html"));
            foreach (var section in new[] { "lesson", "speedup", "profile-1", "cells", "sweep", "environment" })
            {
                Assert.Contains($"<section id=\"{section}\">", study, StringComparison.Ordinal);
            }

            // The findings in words follow the measured numbers (which the assertions leave to the machine): the load
            // curve on one instance, the scaling step, and why no USL fit is given for two instance counts.
            var text = WebUtility.HtmlDecode(study);
            // (On this sweep's levels one instance is often at its capacity from the first level on: "was already".)
            Assert.Matches("On one instance, throughput (rose from|was already) ", text);
            Assert.Contains("Adding instances: 2 gave", text, StringComparison.Ordinal);
            Assert.Contains("No USL fit: it needs at least 3 instance counts, the sweep ran 2.", text, StringComparison.Ordinal);
            Assert.Contains("id=\"table-little-1\"", study, StringComparison.Ordinal);
            Assert.Contains("studies-table", await File.ReadAllTextAsync(Path.Combine(sweep.WorkingDirectory, "reports", "index.html")), StringComparison.Ordinal);
            Assert.Contains($"study: reports/{Path.GetFileName(folder)}/study.html", sweep.StandardOutput, StringComparison.Ordinal);
            AssertFleetStopped(fleet);
        }
    }

    [Fact]
    public async Task Sigint_ends_the_sweep_keeps_the_finished_cells_and_stops_the_fleet()
    {
        await using var fleet = new LabFleet();
        await using var sweep = LoadGenProcess.Start(SweepArguments(fleet, WriteSweep(durationSeconds: 60)));
        // The first cell is under way once its server has completed calls: read from the server, not guessed from a
        // clock (a signal while the run still connects ends the cell with nothing measured, and no cell is kept).
        await sweep.WaitForOutputAsync("fleet: starting 1 instance");
        await WaitUntilTheFleetServedAsync(fleet);

        await sweep.SignalAsync("INT");
        var exitCode = await sweep.WaitForExitAsync(SweepLimit);

        Assert.True(exitCode == ExitCodes.Interrupted, $"exit {exitCode}\n{sweep.StandardOutput}{sweep.StandardError}");
        var (folder, result) = ReadSweep(sweep);
        Assert.True(result.Partial);
        // The cell that was running is kept, as a partial run of its own.
        var cell = Assert.Single(result.Cells);
        var run = ResultJson.Read(Path.Combine(sweep.WorkingDirectory, "reports", cell.RunFolder!, ResultJson.FileName));
        Assert.True(run.Partial);
        Assert.True(run.Totals.Calls.AddsUp);
        Assert.Contains("id=\"partial\"", await File.ReadAllTextAsync(Path.Combine(folder, "study.html")), StringComparison.Ordinal);
        AssertFleetStopped(fleet);
    }

    private static async Task WaitUntilTheFleetServedAsync(LabFleet fleet)
    {
        using var limit = new CancellationTokenSource(SweepLimit);
        while (true)
        {
            var address = File.Exists(fleet.RegistryPath) ? File.ReadAllLines(fleet.RegistryPath).FirstOrDefault(line => line.Length > 0) : null;
            if (address is not null)
            {
                using var channel = GrpcChannel.ForAddress($"http://{address}");
                try
                {
                    var stats = await new LoadLab.LoadLabClient(channel).GetStatsAsync(new StatsRequest(), cancellationToken: limit.Token);
                    if (new[] { stats.Unary, stats.ServerStream, stats.ClientStream, stats.Bidi }.Sum(kind => kind?.Completed ?? 0) > 0)
                    {
                        return;
                    }
                }
                catch (RpcException)
                {
                    // Not serving yet.
                }
            }

            await Task.Delay(100, limit.Token);
        }
    }

    [Fact]
    public async Task A_bad_sweep_exits_2_with_one_line_and_starts_no_fleet()
    {
        await using var fleet = new LabFleet();
        var file = Path.Combine(fleet.LabDirectory, "bad.json");
        await File.WriteAllTextAsync(file, """{"name": "bad", "scenario": "x.json", "instances": [1, 0], "concurrency": [1]}""");

        var (exitCode, sweep) = await LoadGenProcess.RunAsync(SweepLimit, SweepArguments(fleet, file));
        await using (sweep)
        {
            Assert.Equal(ExitCodes.BadInput, exitCode);
            var line = Assert.Single(sweep.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal($"loadgen: {file}: $.instances[1]: must be from 1 to 64 instances (the fleet script's bound) (e.g. 4)", line);
            Assert.False(File.Exists(Path.Combine(fleet.LabDirectory, "fleet.conf")));
        }
    }

    private static string[] SweepArguments(LabFleet fleet, string sweepFile) =>
        ["sweep", sweepFile, "--fleet-script", RepositoryPaths.FleetScript, "--lab-dir", fleet.LabDirectory];

    // I/O-bound work with a capacity of 4 per instance: 1 and 2 instances, at 4 and 8 callers per instance (given out of
    // order: the sweep runs them in order).
    private static string WriteSweep(int durationSeconds)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("sweep-").FullName, "tiny.json");
        var scenario = Path.Combine(RepositoryPaths.Root, "scenarios", "unary-closed.json");
        File.WriteAllText(file, string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "name": "tiny",
              "scenario": "{{scenario}}",
              "profiles": [{ "name": "io", "delay": "10ms", "capacity": 4, "queue": 32 }],
              "instances": [2, 1],
              "concurrency": [8, 4],
              "perInstance": true,
              "warmup": "1s",
              "fleetWarmup": "1s",
              "duration": "{{durationSeconds}}s",
              "basePort": {{FreePorts.FindRange(2)}}
            }
            """));
        return file;
    }

    private static (string Folder, SweepResult Result) ReadSweep(LoadGenProcess sweep)
    {
        var path = Assert.Single(Directory.GetFiles(Path.Combine(sweep.WorkingDirectory, "reports"), SweepJson.FileName, SearchOption.AllDirectories));
        return (Path.GetDirectoryName(path)!, SweepJson.Read(path));
    }

    // The sweep stops its fleet itself: the script's registry and configuration are gone and no instance runs.
    private static void AssertFleetStopped(LabFleet fleet)
    {
        Assert.False(File.Exists(fleet.RegistryPath));
        Assert.False(File.Exists(Path.Combine(fleet.LabDirectory, "fleet.conf")));
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(fleet.LabDirectory, "pids")), file =>
            LabFleet.IsServerRunning(int.Parse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture)));
    }
}

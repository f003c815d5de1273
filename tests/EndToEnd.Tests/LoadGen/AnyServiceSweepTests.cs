extern alias LoadGen;

using System.Globalization;
using System.Net;
using System.Text.Json;
using GrpcLoadLab.EndToEnd.Tests.Fleet;
using GrpcLoadLab.EndToEnd.Tests.Processes;
using LoadGen::GrpcLoadLab.LoadGen.Runner;

namespace GrpcLoadLab.EndToEnd.Tests.LoadGen;

/// <summary>
/// <c>loadgen sweep</c> studying a service the lab did not write: a profile's <c>command</c> makes each fleet the
/// Python route_guide server's (tests/RouteGuide), and the sweep ends in the study page the demo's sweep writes.
/// </summary>
public sealed class AnyServiceSweepTests
{

    [Fact]
    public async Task A_sweep_over_the_python_servers_fleet_writes_the_study()
    {
        await using var fleet = new LabFleet();
        var folder = Directory.CreateTempSubdirectory("any-service-sweep-").FullName;
        try
        {
            var sweepFile = WriteSweep(folder);
            var (exitCode, sweep) = await SweepProcess.RunAsync(sweepFile, fleet);
            await using (sweep)
            {
                Assert.True(exitCode == ExitCodes.Passed, $"exit {exitCode}\n{sweep.StandardOutput}{sweep.StandardError}");
                Assert.Contains("fleet: starting 1 instance of '", sweep.StandardOutput, StringComparison.Ordinal);
                var (result, sweepPath) = SweepProcess.ReadWholeSweep(sweep);
                foreach (var cell in result.Cells)
                {
                    var run = SweepProcess.ReadCell(sweep, cell);
                    // Each cell called the Python server by its schema on a fleet of the cell's size, through the
                    // balancer: every instance picked, every call answered and its reply as the check expects.
                    Assert.Equal("routeguide.RouteGuide/GetFeature", run.Scenario.Call.Method);
                    var picks = run.Endpoints.Where(e => e.Address is not null).Select(e => e.Picks).ToList();
                    Assert.Equal(cell.Instances, picks.Count);
                    Assert.All(picks, p => Assert.True(p > 0));
                    Assert.True(run.Totals.Calls.Succeeded > 0);
                    Assert.Equal(0, run.Totals.Calls.Failed);
                }

                var study = await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(sweepPath)!, "study.html"));
                foreach (var section in new[] { "lesson", "speedup", "profile-1", "cells", "sweep", "environment" })
                {
                    Assert.Contains($"<section id=\"{section}\">", study, StringComparison.Ordinal);
                }

                var text = WebUtility.HtmlDecode(study);
                Assert.Contains("python", text, StringComparison.Ordinal);
                Assert.Contains("Adding instances: 2 gave", text, StringComparison.Ordinal);
                SweepProcess.AssertFleetStopped(fleet);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>One profile, the Python server; 1 and 2 instances at 2 callers each; short phases.</summary>
    private static string WriteSweep(string folder)
    {
        var scenario = Path.Combine(folder, "route-guide.json");
        File.WriteAllText(scenario, """
            {
              "name": "route-guide",
              "call": {
                "kind": "unary",
                "method": "routeguide.RouteGuide/GetFeature",
                "request": {"latitude": 400000000, "longitude": -740000000},
                "expect": [{"path": "$.name", "equals": "feature 0,0"}]
              },
              "phases": [ { "type": "constant-concurrency", "concurrency": 1, "duration": "1s" } ]
            }
            """);
        var sweep = Path.Combine(folder, "sweep.json");
        File.WriteAllText(sweep, string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "name": "route-guide",
              "scenario": "route-guide.json",
              "profiles": [{ "name": "python", "description": "grpcio, reflection", "command": {{JsonSerializer.Serialize(RouteGuideServer.Command("--health", "--reflection"))}} }],
              "instances": [2, 1],
              "concurrency": [2],
              "perInstance": true,
              "warmup": "1s",
              "fleetWarmup": "1s",
              "duration": "2s",
              "basePort": {{FreePorts.FindRange(2)}}
            }
            """));
        return sweep;
    }
}

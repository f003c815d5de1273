extern alias LoadGen;

using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using GrpcLoadLab.EndToEnd.Tests.Fleet;
using GrpcLoadLab.EndToEnd.Tests.Processes;
using LoadGen::GrpcLoadLab.LoadGen.Runner;

namespace GrpcLoadLab.EndToEnd.Tests.LoadGen;

/// <summary>
/// <c>loadgen sweep</c> over a fleet that speaks only TLS, with certificates made by openssl: the lab's own server
/// with the sweep's <c>serverTls</c> (mTLS: it asks every client for a certificate), called and checked for readiness
/// with the scenario's <c>target.tls</c>; and a sweep whose two sides do not agree refused in one line, nothing started.
/// </summary>
public sealed class TlsSweepTests : IDisposable
{
    private static readonly TestCertificates Certificates = TestCertificates.Shared;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("tls-sweep-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task A_sweep_over_an_mtls_fleet_of_the_labs_server_writes_its_study_with_every_cell_valid()
    {
        await using var fleet = new LabFleet();
        var sweepFile = WriteSweep(serverTls: true);

        var (exitCode, sweep) = await SweepProcess.RunAsync(sweepFile, fleet);
        await using (sweep)
        {
            Assert.True(exitCode == ExitCodes.Passed, $"exit {exitCode}\n{sweep.StandardOutput}{sweep.StandardError}");
            Assert.Contains("fleet: starting 2 instances, unlimited capacity, over mTLS", sweep.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("2 server(s) SERVING over TLS", await File.ReadAllTextAsync(Path.Combine(fleet.LabDirectory, "fleet.log")), StringComparison.Ordinal);
            var (result, sweepPath) = SweepProcess.ReadWholeSweep(sweep);
            foreach (var cell in result.Cells)
            {
                var run = SweepProcess.ReadCell(sweep, cell);
                Assert.True(run.Verdict.Valid, $"{cell.RunFolder}: {string.Join("; ", run.Verdict.InvalidReasons)}");
                Assert.Equal(Certificates.CaFile, run.Scenario.Target.Tls!.CaFile);
                Assert.True(run.Totals.Calls.Succeeded > 0);
                Assert.Equal(0, run.Totals.Calls.Failed);
                // Every instance of the cell's fleet served calls, and its counters were read over mTLS too.
                Assert.Equal(cell.Instances, run.Servers.Count);
                Assert.All(run.Servers, s => Assert.True(s.End!.Unary.Completed > s.Start!.Unary.Completed, $"{s.Address} served no call"));
            }

            // The study page's table of runs: one row a cell, each valid, with no errors.
            var study = WebUtility.HtmlDecode(await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(sweepPath)!, "study.html")));
            var table = study[study.IndexOf("<table id=\"cells-table\">", StringComparison.Ordinal)..];
            table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
            var rows = Regex.Matches(table, "<tr><td><a .*?</tr>").Select(m => Regex.Matches(m.Value, "<td>(.*?)</td>").Select(c => c.Groups[1].Value).ToList()).ToList();
            Assert.Equal(2, rows.Count);
            Assert.All(rows, row => Assert.Equal(("0.00%", "valid"), (row[^2], row[^1])));
            Assert.DoesNotContain("invalid-runs", study, StringComparison.Ordinal);
            SweepProcess.AssertFleetStopped(fleet);
        }
    }

    [Fact]
    public async Task A_tls_target_over_a_plaintext_lab_fleet_is_refused_before_any_fleet_starts()
    {
        await using var fleet = new LabFleet();
        var sweepFile = WriteSweep(serverTls: false);

        var (exitCode, sweep) = await SweepProcess.RunAsync(sweepFile, fleet);
        await using (sweep)
        {
            Assert.True(exitCode == ExitCodes.BadInput, $"exit {exitCode}\n{sweep.StandardOutput}{sweep.StandardError}");
            var line = Assert.Single(sweep.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("$.serverTls: is missing: the scenario tls.json calls the servers over TLS", line, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(fleet.LabDirectory, "fleet.log")), "no fleet was started");
        }
    }

    /// <summary>The lab's server on 1 and 2 instances at 2 callers each, short phases; its certificate beside the sweep file.</summary>
    private string WriteSweep(bool serverTls)
    {
        File.Copy(Certificates.ServerCertificate, Path.Combine(_folder.FullName, "server.pem"), overwrite: true);
        File.Copy(Certificates.ServerKey, Path.Combine(_folder.FullName, "server.key"), overwrite: true);
        File.WriteAllText(Path.Combine(_folder.FullName, "tls.json"), $$"""
            {
              "name": "tls",
              "target": { "tls": { "caFile": {{Json(Certificates.CaFile)}}, "certFile": {{Json(Certificates.ClientCertificate)}}, "keyFile": {{Json(Certificates.ClientKey)}} } },
              "call": { "kind": "unary", "delay": "1ms" },
              "phases": [ { "type": "constant-concurrency", "concurrency": 1, "duration": "1s" } ]
            }
            """);
        var server = serverTls ? $", \"serverTls\": {{\"certFile\": \"server.pem\", \"keyFile\": \"server.key\", \"clientCaFile\": {Json(Certificates.CaFile)}}}" : string.Empty;
        var sweep = Path.Combine(_folder.FullName, "sweep.json");
        File.WriteAllText(sweep, string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "name": "tls",
              "scenario": "tls.json",
              "instances": [2, 1],
              "concurrency": [2],
              "perInstance": true,
              "warmup": "1s",
              "fleetWarmup": "1s",
              "duration": "2s",
              "basePort": {{FreePorts.FindRange(2)}}{{server}}
            }
            """));
        return sweep;
    }

    private static string Json(string text) => JsonSerializer.Serialize(text);
}

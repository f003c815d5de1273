extern alias LoadGen;

using System.Globalization;
using GrpcLoadLab.EndToEnd.Tests.Fleet;
using GrpcLoadLab.EndToEnd.Tests.Processes;
using LoadGen::GrpcLoadLab.LoadGen.Runner;

namespace GrpcLoadLab.EndToEnd.Tests.LoadGen;

/// <summary>
/// <c>loadgen run</c> over TLS and mTLS, with certificates made by openssl: against the lab's own fleet and against the
/// Python route_guide fleet (tests/RouteGuide), both started by the fleet script, whose readiness checks speak TLS too;
/// and every TLS mismatch refused in one line with exit code 2, nothing run.
/// </summary>
public sealed class TlsRunTests : IDisposable
{
    private const int Calls = 200;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(3);
    private static readonly TestCertificates Certificates = TestCertificates.Shared;

    private readonly DirectoryInfo _scenarios = Directory.CreateTempSubdirectory("tls-run-");

    private static string[] ServerTls => ["--tls-cert", Certificates.ServerCertificate, "--tls-key", Certificates.ServerKey];

    private static string[] ClientTls => ["--ca-file", Certificates.CaFile];

    private static string[] ClientCertificate => ["--cert-file", Certificates.ClientCertificate, "--key-file", Certificates.ClientKey];

    /// <summary>What the fleet script's readiness checks present to an mTLS fleet.</summary>
    private static string[] FleetClientCertificate => ["--tls-client-cert", Certificates.ClientCertificate, "--tls-client-key", Certificates.ClientKey];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_lab_fleet_is_loaded_over_tls_with_even_shares_and_its_counters_read(bool mutual)
    {
        string[] serverMtls = mutual ? ["--client-ca", Certificates.CaFile, .. FleetClientCertificate] : [];
        await using var fleet = await StartFleetAsync([.. ServerTls, "--tls-ca", Certificates.CaFile, .. serverMtls]);

        var (exitCode, run) = await LoadGenProcess.RunAsync(
            RunLimit, ["run", LabScenario(), "--target", $"file:{fleet.RegistryPath}", .. ClientTls, .. (mutual ? ClientCertificate : [])]);
        await using (run)
        {
            AnyServiceRunTests.AssertRan(exitCode, run);
            var result = run.ReadResult();
            Assert.Equal(Calls, result.Totals.Calls.Succeeded);
            AssertEvenShares(result);
            // The servers' own counters came over TLS too: each instance served its share, by its own count.
            Assert.All(result.Servers, s => Assert.True(s.Start is not null && s.End is not null, $"{s.Address} gave no counters"));
            Assert.Equal(Calls, result.Servers.Sum(s => s.End!.Unary.Completed - s.Start!.Unary.Completed));
            Assert.Equal(Certificates.CaFile, result.Scenario.Target.Tls!.CaFile);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_python_fleet_is_loaded_over_tls_by_reflection_with_even_shares(bool mutual)
    {
        string[] serverMtls = mutual ? ["--client-ca", Certificates.CaFile] : [];
        await using var fleet = await StartFleetAsync(
            ["--command", RouteGuideServer.Command(["--health", "--reflection", .. ServerTls, .. serverMtls]), "--tls-ca", Certificates.CaFile,
                .. (mutual ? FleetClientCertificate : [])],
            expectedStart: "2 server(s) ready over TLS: 2 answered grpc.health.v1 SERVING");

        // A quick run: the method's kind from reflection, over TLS, with the name the certificate carries.
        var (exitCode, run) = await LoadGenProcess.RunAsync(
            RunLimit,
            ["run", "--method", "routeguide.RouteGuide/GetFeature", "--data", """{"latitude": 400000000, "longitude": -740000000}""",
                "--target", $"file:{fleet.RegistryPath}", "--concurrency", "4", "--duration", "3s", "--authority", "localhost",
                .. ClientTls, .. (mutual ? ClientCertificate : [])]);
        await using (run)
        {
            AnyServiceRunTests.AssertRan(exitCode, run);
            var result = run.ReadResult();
            Assert.True(result.Totals.Calls.Succeeded > 20, $"{result.Totals.Calls.Succeeded} calls succeeded");
            Assert.Equal(0, result.Totals.Calls.Failed);
            AssertEvenShares(result);
        }
    }

    /// <summary>The case, the fleet's options, loadgen's TLS flags, and what the one line says.</summary>
    public static TheoryData<string, string[], string[], string> Mismatches => new()
    {
        { "plaintext to TLS", [.. ServerTls, "--tls-ca", Certificates.CaFile], [], "does not speak plaintext HTTP/2 (h2c)" },
        { "TLS to plaintext", [], ClientTls, "is it a plaintext (h2c) server? then drop the target's TLS" },
        { "the wrong CA", [.. ServerTls, "--tls-ca", Certificates.CaFile], ["--ca-file", Certificates.OtherCaFile], "The remote certificate is invalid" },
        {
            "no client certificate",
            [.. ServerTls, "--tls-ca", Certificates.CaFile, "--client-ca", Certificates.CaFile, .. FleetClientCertificate],
            ClientTls,
            "does it require a client certificate? give --cert-file and --key-file"
        },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public async Task A_tls_mismatch_is_refused_in_one_line_with_exit_code_2_and_nothing_run(string mismatch, string[] fleetOptions, string[] clientTls, string expected)
    {
        await using var fleet = await StartFleetAsync(fleetOptions);

        var (exitCode, run) = await LoadGenProcess.RunAsync(RunLimit, ["run", LabScenario(), "--target", $"file:{fleet.RegistryPath}", .. clientTls]);
        await using (run)
        {
            AssertRefused(mismatch, exitCode, run, expected);
        }
    }

    [Fact]
    public async Task A_tls_file_that_cannot_be_used_is_refused_before_any_connection()
    {
        var garbled = Certificates.Write("garbled-ca.pem", "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        // No server listens at this target: the files are refused before any connection is tried.
        string[] run = ["run", LabScenario(), "--target", "static:127.0.0.1:1"];
        (string[] Flags, string Expected)[] cases =
        [
            (["--ca-file", garbled], $"the TLS CA file (caFile, --ca-file) '{garbled}' holds no PEM certificate"),
            ([.. ClientTls, "--cert-file", Certificates.ClientCertificate, "--key-file", Certificates.OtherClientKey],
                $"is not the private key of the TLS client certificate (certFile, --cert-file) '{Certificates.ClientCertificate}'"),
            ([.. ClientTls, "--cert-file", Certificates.ClientCertificate], "--key-file: is missing: a client certificate (certFile, --cert-file) goes with its private key"),
            (["--ca-file", Certificates.CaFile, "--insecure-skip-verify"], "--insecure-skip-verify: accepts any server, so a CA file (caFile, --ca-file) would check nothing"),
        ];
        foreach (var (flags, expected) in cases)
        {
            var (exitCode, refused) = await LoadGenProcess.RunAsync(RunLimit, [.. run, .. flags]);
            await using (refused)
            {
                AssertRefused(string.Join(' ', flags), exitCode, refused, expected);
            }
        }
    }

    public void Dispose() => _scenarios.Delete(recursive: true);

    private static void AssertRefused(string what, int exitCode, LoadGenProcess run, string expected)
    {
        Assert.True(exitCode == ExitCodes.BadInput, $"{what}: exit {exitCode}\n{run.StandardOutput}{run.StandardError}");
        var line = Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(run.WorkingDirectory, "reports")), $"{what}: nothing was run");
    }

    /// <summary>Round robin over the two instances: each picked for half the calls.</summary>
    private static void AssertEvenShares(LoadGen::GrpcLoadLab.LoadGen.Results.RunResult result)
    {
        var picks = result.Endpoints.Where(e => e.Address is not null).Select(e => e.Picks).ToList();
        Assert.Equal(2, picks.Count);
        var total = picks.Sum();
        Assert.All(picks, p => Assert.InRange(p, total / 2 - 2, total / 2 + 2));
    }

    private static async Task<LabFleet> StartFleetAsync(string[] options, string? expectedStart = null)
    {
        var fleet = new LabFleet();
        var basePort = FreePorts.FindRange(2).ToString(CultureInfo.InvariantCulture);
        var start = await fleet.RunAsync(StartTimeout, ["start", "2", "--base-port", basePort, .. options]);
        Assert.True(start.ExitCode == 0, start.ToString());
        if (expectedStart is not null)
        {
            Assert.Contains(expectedStart, start.ToString(), StringComparison.Ordinal);
        }

        return fleet;
    }

    /// <summary>The lab's own unary call, <see cref="Calls"/> of them by 4 callers.</summary>
    private string LabScenario()
    {
        var file = Path.Combine(_scenarios.FullName, "lab.json");
        File.WriteAllText(file, $$"""
            {
              "name": "tls",
              "call": { "kind": "unary" },
              "phases": [ { "type": "iterations", "concurrency": 4, "iterations": {{Calls}} } ]
            }
            """);
        return file;
    }
}

using System.Text.Json;
using GrpcLoadLab.LoadGen.Fleet;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Sweeps;

namespace GrpcLoadLab.LoadGen.Tests.Sweeps;

/// <summary>
/// A sweep over a fleet that speaks TLS: the scenario's <c>target.tls</c> is the client's side (the calls and the
/// fleet's readiness), the sweep's <c>serverTls</c> the lab's server's; every way the two do not go together is
/// refused at load, in one line naming the key, before any fleet starts.
/// </summary>
public sealed class SweepTlsTests : IDisposable
{
    private static readonly TestCertificates Certificates = TestCertificates.Shared;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sweep-tls-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void The_lab_fleet_serves_the_sweeps_certificate_and_is_checked_with_the_scenarios_tls()
    {
        // Relative to the sweep file's folder: the certificates are copied beside it.
        File.Copy(Certificates.ServerCertificate, Path.Combine(_folder.FullName, "server.pem"));
        File.Copy(Certificates.ServerKey, Path.Combine(_folder.FullName, "server.key"));
        var plan = Load(ClientTls(mutual: true), """, "serverTls": {"certFile": "server.pem", "keyFile": "server.key", "clientCaFile": "server.pem"}""");

        var fleet = plan.Fleet(plan.Cells[0]);

        Assert.Equal(
            ["start", "1", "--base-port", "5301", "--capacity", "0",
                "--tls-cert", Path.Combine(_folder.FullName, "server.pem"), "--tls-key", Path.Combine(_folder.FullName, "server.key"), "--client-ca", Path.Combine(_folder.FullName, "server.pem"),
                "--tls-ca", Certificates.CaFile, "--tls-client-cert", Certificates.ClientCertificate, "--tls-client-key", Certificates.ClientKey],
            fleet.StartArguments());
        Assert.Equal("1 instance, unlimited capacity, over mTLS", fleet.ToString());
        // Every cell calls its fleet over the scenario's TLS.
        Assert.All(plan.Cells, cell => Assert.Equal(Certificates.CaFile, plan.ScenarioFor(cell, "servers.txt", "reports", freshFleet: true).Target.Tls!.CaFile));
    }

    [Fact]
    public void A_commands_fleet_gets_only_what_readiness_checks_it_with()
    {
        var plan = Load(ClientTls(mutual: false), """, "profiles": [{"name": "mine", "command": "python3 server.py --tls --port {port}"}]""");

        Assert.Equal(
            ["start", "1", "--base-port", "5301", "--command", "python3 server.py --tls --port {port}", "--tls-ca", Certificates.CaFile],
            plan.Fleet(plan.Cells[0]).StartArguments());
    }

    [Fact]
    public void A_plaintext_sweep_starts_a_plaintext_fleet()
    {
        var plan = Load(string.Empty, string.Empty);

        Assert.Null(plan.Tls);
        Assert.Equal(["start", "1", "--base-port", "5301", "--capacity", "0"], plan.Fleet(plan.Cells[0]).StartArguments());
    }

    public static TheoryData<string, string, string, string> Mismatches => new()
    {
        {
            string.Empty, ServerTls(), "$.serverTls",
            "makes the servers speak TLS, but the scenario base.json calls them in plaintext: give it \"target\": {\"tls\": {\"caFile\": \"ca.pem\"}}"
        },
        {
            ClientTls(mutual: false), string.Empty, "$.serverTls",
            "is missing: the scenario base.json calls the servers over TLS, and the lab's server (profile 'base') serves plaintext unless given \"serverTls\": {\"certFile\": \"server.pem\", \"keyFile\": \"server.key\"}"
        },
        {
            ClientTls(mutual: false), """, "profiles": [{"name": "mine", "command": "python3 s.py {port}"}, {"name": "lab"}]""", "$.serverTls",
            "is missing: the scenario base.json calls the servers over TLS, and the lab's server (profile 'lab') serves plaintext unless given"
        },
        {
            ClientTls(mutual: false), ServerTls() + """, "profiles": [{"name": "mine", "command": "python3 s.py {port}"}]""", "$.serverTls",
            "is the lab's server's TLS, and profile 'mine' runs its own command: give that server's TLS options in its command, and leave serverTls out"
        },
        {
            ClientTls(mutual: false), ServerTls($", \"clientCaFile\": {Json(Certificates.CaFile)}"), "$.serverTls.clientCaFile",
            "makes the servers require a client certificate: give the scenario base.json a target.tls certFile and keyFile"
        },
        {
            ClientTls(mutual: false), """, "serverTls": {"certFile": "nowhere.pem", "keyFile": "nowhere.key"}""", "$.serverTls.certFile",
            "which does not exist — relative paths are from the sweep file's folder"
        },
        {
            """, "target": {"tls": {"insecureSkipVerify": true}}""", ServerTls(), "$.scenario",
            "base.json has a TLS target without a caFile: the sweep checks that each fleet is ready against that CA"
        },
        {
            """, "target": {"tls": {}}""", ServerTls(), "$.scenario",
            "base.json has a TLS target without a caFile"
        },
        {
            """, "target": {"tls": {"caFile": "/nonexistent/ca.pem"}}""", ServerTls(), "$.scenario",
            "base.json: the TLS CA file (caFile, --ca-file) '/nonexistent/ca.pem' does not exist"
        },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void A_tls_mismatch_is_one_line_naming_the_key(string scenarioMembers, string sweepMembers, string path, string problem)
    {
        var error = Assert.Throws<ScenarioException>(() => Load(scenarioMembers, sweepMembers));

        Assert.Equal(path, error.Path);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static string ClientTls(bool mutual) =>
        $", \"target\": {{\"tls\": {{\"caFile\": {Json(Certificates.CaFile)}"
        + (mutual ? $", \"certFile\": {Json(Certificates.ClientCertificate)}, \"keyFile\": {Json(Certificates.ClientKey)}" : string.Empty)
        + "}}";

    private static string ServerTls(string more = "") =>
        $", \"serverTls\": {{\"certFile\": {Json(Certificates.ServerCertificate)}, \"keyFile\": {Json(Certificates.ServerKey)}{more}}}";

    private static string Json(string text) => JsonSerializer.Serialize(text);

    private SweepPlan Load(string scenarioMembers, string sweepMembers)
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "base.json"), $$"""
            {"name": "base", "call": {"kind": "unary"}, "phases": [{"type": "constant-concurrency", "concurrency": 1, "duration": "1s"}]{{scenarioMembers}}}
            """);
        var sweepFile = Path.Combine(_folder.FullName, "sweep.json");
        File.WriteAllText(sweepFile, $$"""{"name": "s", "scenario": "base.json", "instances": [1], "concurrency": [2]{{sweepMembers}}}""");
        return SweepLoader.Load(sweepFile);
    }
}

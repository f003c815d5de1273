using GrpcLoadLab.Balancer.Targets;
using GrpcLoadLab.Balancer.Tests.Functional;
using GrpcLoadLab.Balancer.Transport;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Hosting;

namespace GrpcLoadLab.Balancer.Tests.Transport;

/// <summary>
/// The balanced channel and its health watches over TLS and mTLS, against real lab instances serving Kestrel's HTTPS
/// with certificates made by openssl; and each connection that cannot work named by <see cref="ConnectionCheck"/>.
/// </summary>
public class TlsChannelTests
{
    private const int Calls = 600;
    private static readonly TestCertificates Certificates = TestCertificates.Shared;

    public static TheoryData<bool> ClientCertificateRequired => new() { false, true };

    [Theory]
    [MemberData(nameof(ClientCertificateRequired))]
    public async Task Round_robin_over_tls_spreads_calls_evenly_and_watches_health(bool mutual)
    {
        await using var fleet = await InProcessFleet.StartAsync(2, (_, o) => ServeTls(o, mutual));
        var tls = new TlsSettings
        {
            CaFile = Certificates.CaFile,
            CertFile = mutual ? Certificates.ClientCertificate : null,
            KeyFile = mutual ? Certificates.ClientKey : null,
        }.Load();
        using var balanced = BalancedChannelFactory.Create(fleet.StaticTarget, new BalancerOptions { Tls = tls });
        var client = new LoadLab.LoadLabClient(balanced.Channel);
        await Rotation.WaitUntilServedByAsync(balanced.Channel, fleet.InstanceIdOf(0), fleet.InstanceIdOf(1));

        using var load = await UnaryLoad.RunAsync(client, workers: 6, Calls / 6);

        Assert.Empty(load.Failures);
        Assert.All([0, 1], i => Assert.InRange(load.ServedBy.GetValueOrDefault(fleet.InstanceIdOf(i)), Calls / 2 - 6, Calls / 2 + 6));
        // The health watches ran over TLS too: both instances are in rotation because they answered SERVING.
        Assert.All(balanced.Endpoints.Snapshot(), e => Assert.True(e.InRotation, $"{e.Address} is out of rotation"));
        Assert.Null(await ConnectionCheck.FindProblemAsync(balanced.Target, tls, CancellationToken.None));
    }

    [Fact]
    public async Task An_authority_names_the_certificate_host_while_the_connection_goes_to_the_address()
    {
        await using var fleet = await InProcessFleet.StartAsync(1, (_, o) => ServeTls(o, mutual: false));
        var tls = new TlsSettings { CaFile = Certificates.CaFile, Authority = "localhost" }.Load();
        using var balanced = BalancedChannelFactory.Create(fleet.StaticTarget, new BalancerOptions { Tls = tls });

        // Served once the health watch (over TLS, with the same authority) has found the instance SERVING.
        await Rotation.WaitUntilServedByAsync(balanced.Channel, fleet.InstanceIdOf(0));

        // A name the certificate does not carry is refused by the same check.
        var misnamed = new TlsSettings { CaFile = Certificates.CaFile, Authority = "example.org" }.Load();
        var problem = await ConnectionCheck.FindProblemAsync(BalancerTarget.Parse(fleet.StaticTarget), misnamed, CancellationToken.None);
        Assert.StartsWith($"the TLS handshake with {fleet.Address()} failed", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Insecure_skip_verify_accepts_a_server_whose_ca_is_not_given()
    {
        await using var fleet = await InProcessFleet.StartAsync(1, (_, o) => ServeTls(o, mutual: false));
        using var balanced = BalancedChannelFactory.Create(fleet.StaticTarget, new BalancerOptions { Tls = new TlsSettings { InsecureSkipVerify = true }.Load() });

        await Rotation.WaitUntilServedByAsync(balanced.Channel, fleet.InstanceIdOf(0));
    }

    /// <summary>The client's side, whether the servers require a client certificate, and what the one line says.</summary>
    public static TheoryData<string, bool, string> Mismatches => new()
    {
        { "plaintext", false, "does not speak plaintext HTTP/2 (h2c)" },
        { "the other CA", false, "failed: The remote certificate is invalid" },
        { "no client certificate", true, "closed the TLS connection" },
        { "a stranger's certificate", true, "closed the TLS connection" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public async Task A_connection_that_cannot_work_is_named_in_one_line(string client, bool mutual, string expected)
    {
        await using var fleet = await InProcessFleet.StartAsync(2, (_, o) => ServeTls(o, mutual));
        var tls = client switch
        {
            "plaintext" => null,
            "the other CA" => new TlsSettings { CaFile = Certificates.OtherCaFile }.Load(),
            "no client certificate" => new TlsSettings { CaFile = Certificates.CaFile }.Load(),
            _ => new TlsSettings { CaFile = Certificates.CaFile, CertFile = Certificates.OtherClientCertificate, KeyFile = Certificates.OtherClientKey }.Load(),
        };

        var problem = await ConnectionCheck.FindProblemAsync(BalancerTarget.Parse(fleet.StaticTarget), tls, CancellationToken.None);

        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.Contains(fleet.Address(0), problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public async Task Tls_against_a_plaintext_server_is_named_and_a_stopped_one_is_not_a_tls_problem()
    {
        await using var fleet = await InProcessFleet.StartAsync(1);
        var tls = new TlsSettings { CaFile = Certificates.CaFile }.Load();

        var problem = await ConnectionCheck.FindProblemAsync(BalancerTarget.Parse(fleet.StaticTarget), tls, CancellationToken.None);
        Assert.StartsWith($"the TLS handshake with {fleet.Address()} failed", problem, StringComparison.Ordinal);
        Assert.Contains("plaintext (h2c) server", problem, StringComparison.Ordinal);

        await fleet.StopAsync(0);
        Assert.Null(await ConnectionCheck.FindProblemAsync(BalancerTarget.Parse(fleet.StaticTarget), tls, CancellationToken.None));
    }

    private static void ServeTls(ServerOptions options, bool mutual)
    {
        options.TlsCertificateFile = Certificates.ServerCertificate;
        options.TlsKeyFile = Certificates.ServerKey;
        options.ClientCaFile = mutual ? Certificates.CaFile : null;
    }
}

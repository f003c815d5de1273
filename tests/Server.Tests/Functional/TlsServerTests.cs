using Grpc.Core;
using GrpcLoadLab.Balancer.Transport;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Hosting;

namespace GrpcLoadLab.Server.Tests.Functional;

/// <summary>
/// The lab server with <c>--tls-cert</c>/<c>--tls-key</c> serves Kestrel's HTTPS with HTTP/2; with <c>--client-ca</c> it
/// serves only clients whose certificate chains to that CA. Certificates made by openssl.
/// </summary>
public class TlsServerTests
{
    private static readonly TestCertificates Certificates = TestCertificates.Shared;

    [Fact]
    public async Task With_a_certificate_it_serves_tls_and_not_plaintext()
    {
        await using var fleet = await InProcessFleet.StartAsync(1, (_, o) => ServeTls(o, clientCa: null));

        Assert.Equal(fleet.InstanceIdOf(0), await UnaryAsync(fleet, new TlsSettings { CaFile = Certificates.CaFile }));
        var plaintext = await Assert.ThrowsAsync<RpcException>(() => UnaryAsync(fleet, tls: null));
        Assert.Contains(plaintext.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
    }

    [Fact]
    public async Task With_a_client_ca_it_serves_only_clients_whose_certificate_it_signed()
    {
        await using var fleet = await InProcessFleet.StartAsync(1, (_, o) => ServeTls(o, Certificates.CaFile));

        var trusted = new TlsSettings { CaFile = Certificates.CaFile, CertFile = Certificates.ClientCertificate, KeyFile = Certificates.ClientKey };
        Assert.Equal(fleet.InstanceIdOf(0), await UnaryAsync(fleet, trusted));
        await Assert.ThrowsAsync<RpcException>(() => UnaryAsync(fleet, trusted with { CertFile = null, KeyFile = null }));
        await Assert.ThrowsAsync<RpcException>(() => UnaryAsync(fleet, trusted with { CertFile = Certificates.OtherClientCertificate, KeyFile = Certificates.OtherClientKey }));
    }

    [Theory]
    [InlineData("key without cert", "--tls-cert and --tls-key go together")]
    [InlineData("client CA without TLS", "--client-ca asks clients for a certificate over TLS: give --tls-cert and --tls-key too")]
    [InlineData("garbled key", "--tls-key '{dir}/garbage.pem' holds no readable, unencrypted PEM private key")]
    [InlineData("another key", "--tls-key '{dir}/client.key' is not the private key of --tls-cert '{dir}/server.pem'")]
    [InlineData("missing client CA", "--client-ca '{dir}/none.pem' does not exist")]
    public void A_tls_option_that_cannot_work_is_refused_at_start_in_one_line(string case_, string expected)
    {
        var garbage = Certificates.Write("garbage.pem", "not a key\n");
        var options = new ServerOptions { Port = 0 };
        ServeTls(options, clientCa: null);
        switch (case_)
        {
            case "key without cert":
                options.TlsCertificateFile = null;
                break;
            case "client CA without TLS":
                options.TlsCertificateFile = null;
                options.TlsKeyFile = null;
                options.ClientCaFile = Certificates.CaFile;
                break;
            case "garbled key":
                options.TlsKeyFile = garbage;
                break;
            case "another key":
                options.TlsKeyFile = Certificates.ClientKey;
                break;
            default:
                options.ClientCaFile = Path.Combine(Certificates.Folder, "none.pem");
                break;
        }

        var error = Assert.Throws<ServerOptionsException>(() => LabServerHost.Build(options));

        Assert.StartsWith(expected.Replace("{dir}", Certificates.Folder, StringComparison.Ordinal), error.Message, StringComparison.Ordinal);
    }

    private static void ServeTls(ServerOptions options, string? clientCa)
    {
        options.TlsCertificateFile = Certificates.ServerCertificate;
        options.TlsKeyFile = Certificates.ServerKey;
        options.ClientCaFile = clientCa;
    }

    private static async Task<string> UnaryAsync(InProcessFleet fleet, TlsSettings? tls)
    {
        using var channel = DirectChannel.Create(fleet.Address(), tls?.Load());
        var reply = await new LoadLab.LoadLabClient(channel).UnaryAsync(new WorkRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
        return reply.InstanceId;
    }
}

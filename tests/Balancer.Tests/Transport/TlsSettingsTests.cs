using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GrpcLoadLab.Balancer.Transport;

namespace GrpcLoadLab.Balancer.Tests.Transport;

/// <summary>
/// Every TLS file that cannot be used is refused when the settings are loaded, before any connection, in one line
/// naming the file and what is wrong; settings that do not go together are refused without reading any file.
/// </summary>
public class TlsSettingsTests
{
    private static readonly TestCertificates Certificates = TestCertificates.Shared;

    [Fact]
    public void Files_openssl_made_load()
    {
        var tls = new TlsSettings
        {
            CaFile = Certificates.CaFile,
            CertFile = Certificates.ClientCertificate,
            KeyFile = Certificates.ClientKey,
            Authority = "localhost",
        }.Load();

        Assert.True(tls.HasClientCertificate);
        Assert.Equal("localhost", tls.Authority);
        Assert.False(tls.InsecureSkipVerify);
    }

    public static TheoryData<string, string> DamagedFiles => new()
    {
        { "missing CA", "the TLS CA file (caFile, --ca-file) '{dir}/none.pem' does not exist" },
        { "CA is a folder", "the TLS CA file (caFile, --ca-file) '{dir}' is a folder, not a file" },
        { "CA without a certificate", "the TLS CA file (caFile, --ca-file) '{dir}/garbage.pem' holds no PEM certificate (-----BEGIN CERTIFICATE-----)" },
        { "CA with a damaged certificate", "the TLS CA file (caFile, --ca-file) '{dir}/damaged.pem' holds a certificate that cannot be read" },
        { "garbled certificate", "the TLS client certificate (certFile, --cert-file) '{dir}/garbage.pem' holds no readable PEM certificate" },
        { "missing key", "the TLS key file (keyFile, --key-file) '{dir}/none.key' does not exist" },
        { "garbled key", "the TLS key file (keyFile, --key-file) '{dir}/garbage.pem' holds no readable, unencrypted PEM private key" },
        { "another certificate's key", "the TLS key file (keyFile, --key-file) '{dir}/other-client.key' is not the private key of the TLS client certificate (certFile, --cert-file) '{dir}/client.pem'" },
        { "expired certificate", "the TLS client certificate (certFile, --cert-file) '{dir}/expired.pem' expired on 2020-01-02: make a new one" },
    };

    [Theory]
    [MemberData(nameof(DamagedFiles))]
    public void A_file_that_cannot_be_used_is_refused_in_one_line_naming_it(string damage, string expected)
    {
        var folder = Certificates.Folder;
        var garbage = Certificates.Write("garbage.pem", "not a certificate\n");
        var damaged = Certificates.Write("damaged.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        var settings = damage switch
        {
            "missing CA" => new TlsSettings { CaFile = Path.Combine(folder, "none.pem") },
            "CA is a folder" => new TlsSettings { CaFile = folder },
            "CA without a certificate" => new TlsSettings { CaFile = garbage },
            "CA with a damaged certificate" => new TlsSettings { CaFile = damaged },
            "garbled certificate" => new TlsSettings { CertFile = garbage, KeyFile = Certificates.ClientKey },
            "missing key" => new TlsSettings { CertFile = Certificates.ClientCertificate, KeyFile = Path.Combine(folder, "none.key") },
            "garbled key" => new TlsSettings { CertFile = Certificates.ClientCertificate, KeyFile = garbage },
            "another certificate's key" => new TlsSettings { CertFile = Certificates.ClientCertificate, KeyFile = Certificates.OtherClientKey },
            _ => Expired(),
        };

        var error = Assert.Throws<BalancerConfigurationException>(settings.Load);

        Assert.StartsWith(expected.Replace("{dir}", folder, StringComparison.Ordinal), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("cert without key", "TLS keyFile: is missing: a client certificate (certFile, --cert-file) goes with its private key")]
    [InlineData("key without cert", "TLS certFile: is missing: a private key (keyFile, --key-file) goes with its client certificate")]
    [InlineData("skip and CA", "TLS insecureSkipVerify: accepts any server, so a CA file (caFile, --ca-file) would check nothing")]
    [InlineData("bad authority", "TLS authority: 'a b' is not a host name")]
    public void Settings_that_do_not_go_together_are_refused_before_any_file_is_read(string case_, string expected)
    {
        // None of these files exists: the settings themselves are refused first.
        var settings = case_ switch
        {
            "cert without key" => new TlsSettings { CertFile = "no-cert.pem" },
            "key without cert" => new TlsSettings { KeyFile = "no-key.pem" },
            "skip and CA" => new TlsSettings { CaFile = "no-ca.pem", InsecureSkipVerify = true },
            _ => new TlsSettings { Authority = "a b" },
        };

        var error = Assert.Throws<BalancerConfigurationException>(settings.Load);

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A certificate that expired on 2020-01-02, with its key (openssl 3.0 cannot date one in the past).</summary>
    private static TlsSettings Expired()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=expired", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2020, 1, 2, 12, 0, 0, TimeSpan.Zero));
        return new TlsSettings
        {
            CertFile = Certificates.Write("expired.pem", certificate.ExportCertificatePem()),
            KeyFile = Certificates.Write("expired.key", key.ExportPkcs8PrivateKeyPem()),
        };
    }
}

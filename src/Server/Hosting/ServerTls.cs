using System.Security.Cryptography.X509Certificates;
using GrpcLoadLab.Common;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace GrpcLoadLab.Server.Hosting;

/// <summary>
/// The instance's TLS (<c>--tls-cert</c>, <c>--tls-key</c>, <c>--client-ca</c>), its files read at start-up: Kestrel's
/// HTTPS with HTTP/2 (ALPN) on the gRPC port, and with a client CA every client must present a certificate that chains
/// to it (mTLS).
/// </summary>
internal sealed class ServerTls
{
    private readonly X509Certificate2 _certificate;
    private readonly X509Certificate2Collection? _clientAuthorities;

    private ServerTls(X509Certificate2 certificate, X509Certificate2Collection? clientAuthorities)
    {
        _certificate = certificate;
        _clientAuthorities = clientAuthorities;
    }

    /// <summary>The instance's TLS, or null when it serves plaintext HTTP/2 (h2c).</summary>
    /// <exception cref="ServerOptionsException">A file cannot be used; one line naming it.</exception>
    public static ServerTls? Load(ServerOptions options)
    {
        if (options.TlsCertificateFile is not { } certificateFile)
        {
            return null;
        }

        try
        {
            return new ServerTls(
                TlsFiles.ReadIdentity(certificateFile, "--tls-cert", options.TlsKeyFile!, "--tls-key"),
                options.ClientCaFile is { } clientCa ? TlsFiles.ReadAuthorities(clientCa, "--client-ca") : null);
        }
        catch (TlsFileException e)
        {
            throw new ServerOptionsException(e.Message);
        }
    }

    public void ApplyTo(ListenOptions listen) => listen.UseHttps(https =>
    {
        https.ServerCertificate = _certificate;
        if (_clientAuthorities is { } authorities)
        {
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            // The client CA alone decides, not the system's roots, whatever the platform's own check said.
            https.ClientCertificateValidation = (certificate, _, _) =>
            {
                using var chain = new X509Chain { ChainPolicy = TlsFiles.TrustOnly(authorities) };
                return chain.Build(certificate);
            };
        }
    });
}

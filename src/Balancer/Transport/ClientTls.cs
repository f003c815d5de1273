using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using GrpcLoadLab.Common;

namespace GrpcLoadLab.Balancer.Transport;

/// <summary>
/// TLS of a channel's connections, its files read (<see cref="TlsSettings.Load"/>): set on grpc-dotnet's own
/// transport, <see cref="SocketsHttpHandler.SslOptions"/>, for the balanced channel, its health watches and every
/// direct channel alike. Null where a channel takes one means plaintext HTTP/2 (h2c).
/// </summary>
public sealed class ClientTls
{
    private readonly X509Certificate2Collection? _authorities;
    private readonly X509Certificate2? _certificate;

    internal ClientTls(X509Certificate2Collection? authorities, X509Certificate2? certificate, string? authority, bool insecureSkipVerify)
    {
        _authorities = authorities;
        _certificate = certificate;
        Authority = authority;
        InsecureSkipVerify = insecureSkipVerify;
    }

    /// <inheritdoc cref="TlsSettings.Authority"/>
    public string? Authority { get; }

    /// <inheritdoc cref="TlsSettings.InsecureSkipVerify"/>
    public bool InsecureSkipVerify { get; }

    /// <summary>Whether the client presents a certificate of its own (mTLS).</summary>
    public bool HasClientCertificate => _certificate is not null;

    /// <summary>
    /// The handler that sends a channel's calls over <paramref name="transport"/>: with <paramref name="tls"/>, its TLS
    /// options set and, with an authority, the handler that names it.
    /// </summary>
    internal static HttpMessageHandler Handler(ClientTls? tls, SocketsHttpHandler transport)
    {
        if (tls is null)
        {
            return transport;
        }

        transport.SslOptions = tls.CreateSslOptions();
        return tls.Authority is { } authority ? new AuthorityHandler(authority) { InnerHandler = transport } : transport;
    }

    private SslClientAuthenticationOptions CreateSslOptions()
    {
        var options = new SslClientAuthenticationOptions();
        if (_certificate is { } certificate)
        {
            options.ClientCertificates = [certificate];
            // The one certificate given, whatever authorities the server names (OpenSSL servers often name none).
            options.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate;
        }

        if (InsecureSkipVerify)
        {
            // Asked for by name (insecureSkipVerify, --insecure-skip-verify), for self-signed test servers only.
#pragma warning disable CA5359
            options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (_authorities is { } authorities)
        {
            options.CertificateChainPolicy = TlsFiles.TrustOnly(authorities);
        }

        return options;
    }
}

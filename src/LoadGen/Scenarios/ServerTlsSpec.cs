namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// A sweep's fleet of the lab's own server speaking TLS: the certificate and key each instance serves
/// (<c>--tls-cert</c>, <c>--tls-key</c>), and the CA its clients' certificates must chain to (<c>--client-ca</c>, mTLS).
/// The load generator's side is the scenario's <c>target.tls</c>, which the fleet's readiness checks use too. Relative
/// paths are from the sweep file's folder.
/// </summary>
public sealed record ServerTlsSpec
{
    /// <summary>PEM certificate every instance serves.</summary>
    public required string CertFile { get; init; }

    /// <summary>PEM private key of <see cref="CertFile"/>, unencrypted.</summary>
    public required string KeyFile { get; init; }

    /// <summary>PEM CA that clients' certificates must chain to: every client must present one (mTLS). Default: none asked.</summary>
    public string? ClientCaFile { get; init; }
}

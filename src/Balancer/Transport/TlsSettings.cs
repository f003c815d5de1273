using GrpcLoadLab.Common;

namespace GrpcLoadLab.Balancer.Transport;

/// <summary>
/// TLS of a target, as files and names: whom to trust (<see cref="CaFile"/>, else the system's roots; or nobody checked,
/// <see cref="InsecureSkipVerify"/>), the client's own certificate for servers that require one (mTLS), and the name
/// the servers' certificates are checked against (<see cref="Authority"/>). <see cref="Load"/> reads the files.
/// Relative paths are from the current folder.
/// </summary>
public sealed record TlsSettings
{
    /// <summary>PEM certificates of the authorities the servers' certificates must chain to. Default: the system's roots.</summary>
    public string? CaFile { get; init; }

    /// <summary>PEM certificate the client presents (mTLS); with <see cref="KeyFile"/>.</summary>
    public string? CertFile { get; init; }

    /// <summary>PEM private key of <see cref="CertFile"/>, unencrypted.</summary>
    public string? KeyFile { get; init; }

    /// <summary>
    /// The name sent as <c>:authority</c> and in TLS's server name, and checked against the servers' certificates.
    /// Default: each instance's host as the target gives it (127.0.0.1).
    /// </summary>
    public string? Authority { get; init; }

    /// <summary>Accept any server certificate: for self-signed test servers only. Default: false.</summary>
    public bool InsecureSkipVerify { get; init; }

    /// <summary>What is wrong with the settings themselves (files are not read), by the property it is about; null when nothing.</summary>
    public (string Member, string Problem)? FindProblem() =>
        (CertFile, KeyFile) switch
        {
            (not null, null) => (nameof(KeyFile), "is missing: a client certificate (certFile, --cert-file) goes with its private key (keyFile, --key-file)"),
            (null, not null) => (nameof(CertFile), "is missing: a private key (keyFile, --key-file) goes with its client certificate (certFile, --cert-file)"),
            _ when InsecureSkipVerify && CaFile is not null =>
                (nameof(InsecureSkipVerify), "accepts any server, so a CA file (caFile, --ca-file) would check nothing: give one of them"),
            _ when Authority is { } authority && (authority.Length == 0 || authority.Any(c => char.IsWhiteSpace(c) || c is '/' or '@')) =>
                (nameof(Authority), $"'{authority}' is not a host name (e.g. localhost or api.example.com)"),
            _ => null,
        };

    /// <summary>Reads the files: what the channel's connections then use.</summary>
    /// <exception cref="BalancerConfigurationException">A setting or file cannot be used; one line naming it.</exception>
    public ClientTls Load()
    {
        if (FindProblem() is { } problem)
        {
            throw new BalancerConfigurationException($"TLS {char.ToLowerInvariant(problem.Member[0])}{problem.Member[1..]}: {problem.Problem}");
        }

        try
        {
            return new ClientTls(
                CaFile is null ? null : TlsFiles.ReadAuthorities(CaFile, "the TLS CA file (caFile, --ca-file)"),
                CertFile is null ? null : TlsFiles.ReadIdentity(CertFile, "the TLS client certificate (certFile, --cert-file)", KeyFile!, "the TLS key file (keyFile, --key-file)"),
                Authority,
                InsecureSkipVerify);
        }
        catch (TlsFileException e)
        {
            throw new BalancerConfigurationException(e.Message);
        }
    }
}

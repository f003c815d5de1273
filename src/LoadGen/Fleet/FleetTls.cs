namespace GrpcLoadLab.LoadGen.Fleet;

/// <summary>
/// A fleet that speaks TLS, as the fleet script takes it: what the lab's server serves (<see cref="ServerCertificate"/>,
/// <see cref="ServerKey"/>, <see cref="ClientCa"/>; null for a <c>--command</c> server, whose command carries its own)
/// and what readiness checks the instances with (<see cref="Ca"/>, and <see cref="ClientCertificate"/> with
/// <see cref="ClientKey"/> for servers that require one). Full paths.
/// </summary>
public sealed record FleetTls(string Ca, string? ClientCertificate, string? ClientKey, string? ServerCertificate, string? ServerKey, string? ClientCa)
{
    public IEnumerable<string> StartArguments(bool labServer)
    {
        if (labServer && ServerCertificate is not null)
        {
            yield return "--tls-cert";
            yield return ServerCertificate;
            yield return "--tls-key";
            yield return ServerKey!;
            if (ClientCa is not null)
            {
                yield return "--client-ca";
                yield return ClientCa;
            }
        }

        yield return "--tls-ca";
        yield return Ca;
        if (ClientCertificate is not null)
        {
            yield return "--tls-client-cert";
            yield return ClientCertificate;
            yield return "--tls-client-key";
            yield return ClientKey!;
        }
    }
}

namespace GrpcLoadLab.Balancer.Targets;

/// <summary>Where a balanced channel learns its instances from.</summary>
public enum TargetKind
{
    /// <summary><c>file:PATH</c>: a registry file, one host:port a line (the fleet script writes <c>.lab/servers.txt</c>).</summary>
    File,

    /// <summary><c>static:HOST:PORT[,HOST:PORT...]</c>: a fixed list.</summary>
    Static,

    /// <summary><c>dns:HOST:PORT</c>: every address a DNS name resolves to (a Kubernetes headless service).</summary>
    Dns,
}

using GrpcLoadLab.Balancer;
using GrpcLoadLab.Balancer.Transport;

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>Where the calls go, and how they are spread (see <see cref="BalancerOptions"/> for the meanings).</summary>
public sealed record TargetSpec
{
    /// <summary><c>file:PATH</c>, <c>static:HOST:PORT[,HOST:PORT...]</c> or <c>dns:HOST:PORT</c>. Default: the fleet's registry.</summary>
    public TargetAddress Address { get; init; } = TargetAddress.Registry(".lab/servers.txt");

    public BalancingPolicy Policy { get; init; } = BalancingPolicy.RoundRobin;

    /// <summary>Most HTTP/2 connections per instance; null = as many as the calls need (100 streams each).</summary>
    public int? ConnectionsPerEndpoint { get; init; }

    public RetryMode Retry { get; init; } = RetryMode.None;

    /// <summary>Hedging: how long to wait for a reply before the next attempt. Default: the balancer's (50 ms).</summary>
    public TimeSpan? HedgingDelay { get; init; }

    public bool HealthChecks { get; init; } = true;

    /// <summary>
    /// <c>dns:</c> only: how often the name is resolved again, so that servers added behind it (a scale-up) join the
    /// rotation. Default: the balancer's (30 s).
    /// </summary>
    public TimeSpan? DnsRefresh { get; init; }

    /// <summary>TLS to the instances (https), their health checks, reflection and counters included; null: plaintext HTTP/2 (h2c).</summary>
    public TlsSettings? Tls { get; init; }
}

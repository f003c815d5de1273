using System.Collections.Concurrent;

namespace GrpcLoadLab.Balancer.Tracking;

/// <summary>
/// The per-endpoint counters of one balanced channel, keyed by host:port. An endpoint stays listed after it leaves
/// the rotation, so that a run's report still shows what it served.
/// </summary>
public sealed class EndpointRegistry
{
    private readonly ConcurrentDictionary<string, EndpointStats> _byAddress = new(StringComparer.OrdinalIgnoreCase);

    // The per-attempt lookup, by the picked host and port as they are: no host:port string is made on every attempt.
    private readonly ConcurrentDictionary<(string Host, int Port), EndpointStats> _byHostAndPort = new(HostAndPortComparer.Instance);

    private int _added;

    /// <summary>
    /// Grows whenever an endpoint is added (now and then by one more, when two threads add the same one at once): one
    /// who looks for new endpoints takes a <see cref="Snapshot"/> only when it has changed.
    /// </summary>
    public int Added => Volatile.Read(ref _added);

    /// <summary>Every endpoint seen so far, in address order.</summary>
    /// <param name="includeWarmup">Count the warm-up attempts too (the default), or only the others (<see cref="WarmupScope"/>).</param>
    public IReadOnlyList<EndpointSnapshot> Snapshot(bool includeWarmup = true) =>
        [.. _byAddress.Values.Select(e => e.Snapshot(includeWarmup)).OrderBy(s => s.Address, StringComparer.Ordinal)];

    public EndpointStats For(string host, int port) =>
        _byHostAndPort.TryGetValue((host, port), out var endpoint)
            ? endpoint
            : _byHostAndPort.GetOrAdd((host, port), For(Format(host, port)));

    public EndpointStats For(string address) => _byAddress.GetOrAdd(address, static (a, registry) => registry.Add(a), this);

    private EndpointStats Add(string address)
    {
        Interlocked.Increment(ref _added);
        return new EndpointStats(address);
    }

    /// <summary>host:port, with IPv6 hosts in brackets.</summary>
    public static string Format(string host, int port) =>
        host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]:{port}" : $"{host}:{port}";

    /// <summary>Marks exactly <paramref name="addresses"/> as in rotation.</summary>
    internal void SetRotation(IReadOnlySet<string> addresses)
    {
        foreach (var address in addresses)
        {
            For(address);
        }

        foreach (var endpoint in _byAddress.Values)
        {
            endpoint.InRotation = addresses.Contains(endpoint.Address);
        }
    }

    private sealed class HostAndPortComparer : IEqualityComparer<(string Host, int Port)>
    {
        public static HostAndPortComparer Instance { get; } = new();

        public bool Equals((string Host, int Port) x, (string Host, int Port) y) =>
            x.Port == y.Port && string.Equals(x.Host, y.Host, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode((string Host, int Port) value) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(value.Host), value.Port);
    }
}

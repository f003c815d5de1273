using Grpc.Core;
using Grpc.Net.Client.Balancer;
using GrpcLoadLab.Balancer.Targets;
using GrpcLoadLab.Balancer.Tracking;

namespace GrpcLoadLab.Balancer.Health;

/// <summary>
/// Wraps a resolver (file, static or DNS) and passes on only the endpoints whose health watch says SERVING.
/// </summary>
/// <remarks>
/// Health is watched here, in the resolver, rather than in the balancer: grpc-dotnet's SubchannelsLoadBalancer
/// rebuilds its picker only when a subchannel's connectivity or the address list changes, and subchannel state is
/// internal, so changing the address list is the one public way to take an endpoint out of rotation. Doing it here
/// also serves every policy alike, the built-in round_robin and pick_first included, and mirrors how Kubernetes
/// takes an unready pod out of DNS. In-flight calls on a removed endpoint finish on their connection.
/// </remarks>
internal sealed class HealthCheckingResolver(Resolver inner, BalancerOptions options, EndpointRegistry registry) : Resolver
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, EndpointHealthWatch> _watches = new(StringComparer.OrdinalIgnoreCase);
    private Action<ResolverResult>? _listener;
    private ResolverResult? _listed;
    private IReadOnlyList<BalancerAddress> _addresses = [];
    private string? _published;
    private bool _disposed;

    public override void Start(Action<ResolverResult> listener)
    {
        _listener = listener;
        inner.Start(OnResolved);
    }

    public override void Refresh() => inner.Refresh();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_lock)
            {
                _disposed = true;
                foreach (var watch in _watches.Values)
                {
                    watch.Dispose();
                }

                _watches.Clear();
            }

            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private static string KeyOf(BalancerAddress address) => EndpointRegistry.Format(address.EndPoint.Host, address.EndPoint.Port);

    private void OnResolved(ResolverResult result)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            if (result.Status.StatusCode != StatusCode.OK || result.Addresses is null)
            {
                _published = null;
                _listener!(result);
                return;
            }

            _listed = result;
            // A DNS answer may repeat an address (and a custom resolver anything): one server is one endpoint, spelled
            // as it first came. Lists a person writes refuse repeats before this (RegistryFile).
            _addresses = [.. result.Addresses.DistinctBy(EndpointAddress.ServerKey)];
            if (options.HealthChecks)
            {
                WatchExactly(_addresses);
            }

            PublishIfChanged();
        }
    }

    private void WatchExactly(IReadOnlyList<BalancerAddress> addresses)
    {
        var listed = addresses.ToDictionary(KeyOf, StringComparer.OrdinalIgnoreCase);
        foreach (var key in _watches.Keys.Where(k => !listed.ContainsKey(k)).ToList())
        {
            _watches.Remove(key, out var watch);
            watch!.Dispose();
        }

        foreach (var (key, address) in listed)
        {
            if (!_watches.ContainsKey(key))
            {
                _watches[key] = new EndpointHealthWatch(address, options, OnHealthChanged);
            }
        }
    }

    private void OnHealthChanged()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                PublishIfChanged();
            }
        }
    }

    private void PublishIfChanged()
    {
        if (_listed is null)
        {
            return;
        }

        // The first list waits until every endpoint's health is known: meanwhile calls wait rather than fail.
        if (_published is null && _watches.Values.Any(w => w.Health == EndpointHealth.Unknown))
        {
            return;
        }

        var serving = _addresses
            .Where(a => !options.HealthChecks || _watches[KeyOf(a)].Health == EndpointHealth.Serving)
            .ToList();
        var key = string.Join(',', serving.Select(KeyOf));
        if (key == _published)
        {
            return;
        }

        _published = key;
        registry.SetRotation(serving.Select(KeyOf).ToHashSet(StringComparer.OrdinalIgnoreCase));
        _listener!(ResolverResult.ForResult(serving, _listed.ServiceConfig, _listed.ServiceConfigStatus));
    }
}

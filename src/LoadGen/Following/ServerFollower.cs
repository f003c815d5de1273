using System.Collections.Concurrent;
using GrpcLoadLab.Balancer.Tracking;
using GrpcLoadLab.Balancer.Transport;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Following;

/// <summary>
/// Follows every server instance a run calls, each through its own <c>WatchStats</c> stream (<see cref="ServerWatch"/>):
/// the target's addresses at the start, and each endpoint the balancer learns of later (a line added to the registry,
/// a DNS answer), checked once a second. It runs beside the load and never holds it up: a stream sends one small
/// message a second, each instance keeps at most <see cref="ServerTimeline.MostSeconds"/>, and nothing it meets is
/// thrown into the run.
/// </summary>
/// <param name="tls">The target's TLS, which every watch goes over; null for plaintext.</param>
internal sealed class ServerFollower(EndpointRegistry endpoints, IReadOnlyList<string> addresses, DateTimeOffset runStart, ClientTls? tls = null) : IDisposable
{
    /// <summary>How long the run's end waits for each instance to close the second in which the run ended.</summary>
    public static readonly TimeSpan CatchUp = TimeSpan.FromMilliseconds(1500);

    private static readonly TimeSpan DiscoveryInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CatchUpPoll = TimeSpan.FromMilliseconds(50);

    private readonly long _runStart = UnixMicros.Of(runStart);
    private readonly ConcurrentDictionary<string, (ServerWatch Watch, Task Running)> _watches = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stop = new();
    private Task _discovering = Task.CompletedTask;
    private int _endpointsAdded = -1;

    /// <summary>Opens a stream to each instance known now, and looks for new ones once a second.</summary>
    public void Start()
    {
        Discover();
        _discovering = Task.Run(() => DiscoverAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>
    /// Ends every stream once each instance has sent the second in which the run ended (at most <see cref="CatchUp"/>;
    /// at once when <paramref name="catchUp"/> is false, after an interrupt), and returns what each sent, by address.
    /// </summary>
    public async Task<IReadOnlyList<ServerTimeline>> StopAsync(DateTimeOffset runEnd, bool catchUp)
    {
        var end = UnixMicros.Of(runEnd);
        var deadline = DateTimeOffset.UtcNow + (catchUp ? CatchUp : TimeSpan.Zero);
        while (DateTimeOffset.UtcNow < deadline && _watches.Values.Any(w => w.Watch.Behind(end)))
        {
            await Task.Delay(CatchUpPoll);
        }

        await _stop.CancelAsync();
        await _discovering;
        await Task.WhenAll(_watches.Values.Select(w => w.Running));
        return [.. _watches.Values.Select(w => w.Watch).OrderBy(w => w.Address, StringComparer.Ordinal).Select(w => w.ToTimeline(end))];
    }

    /// <summary>The seconds of the run received so far from the instance at <paramref name="address"/>; 0 before it is followed.</summary>
    public long SecondsReceived(string address) => _watches.TryGetValue(address, out var watch) ? watch.Watch.Received : 0;

    public void Dispose() => _stop.Dispose();

    private async Task DiscoverAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(DiscoveryInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                Discover();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run ended.
        }
    }

    private void Discover()
    {
        // Once a second: nothing is listed or allocated while the balancer has learnt of no new endpoint. Read before
        // the snapshot, so that an endpoint added meanwhile is looked for again at the next tick.
        var added = endpoints.Added;
        if (added == _endpointsAdded)
        {
            return;
        }

        _endpointsAdded = added;
        foreach (var address in addresses.Concat(endpoints.Snapshot().Select(e => e.Address)))
        {
            if (!_watches.ContainsKey(address))
            {
                var watch = new ServerWatch(address, _runStart, tls);
                _watches[address] = (watch, Task.Run(() => watch.RunAsync(_stop.Token), CancellationToken.None));
            }
        }
    }
}

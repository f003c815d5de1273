using Grpc.Net.Client;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Hosting;
using GrpcLoadLab.Server.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GrpcLoadLab.Testing;

/// <summary>
/// One lab server instance started in-process on a free loopback port (an <see cref="InProcessFleet"/> of one), with a
/// client for it; disposing it stops the instance. Each test starts its own, so that the instance's counters count that
/// test's calls only.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    /// <summary>How long a test waits for anything before it gives up: generous, because the two cores are shared.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    private readonly InProcessFleet _instance;
    private readonly GrpcChannel _channel;
    private readonly CancellationTokenSource _timeout = new(Patience);

    private TestServer(InProcessFleet instance)
    {
        _instance = instance;
        Port = instance.Ports[0];
        Address = $"http://{instance.Address()}";
        _channel = GrpcChannel.ForAddress(Address);
        Client = new LoadLab.LoadLabClient(_channel);
    }

    public int Port { get; }

    public string Address { get; }

    public LoadLab.LoadLabClient Client { get; }

    /// <summary>The instance's services (its meter factory, its timeline), for tests that read them directly.</summary>
    public IServiceProvider Services => _instance.Instance(0).Services;

    /// <summary>Every port the instance listens on: the gRPC one first, then a scrape endpoint's, when it has one.</summary>
    public IReadOnlyList<int> Ports => LabServerHost.BoundPorts(_instance.Instance(0));

    /// <summary>Fires when the test has run for <see cref="Patience"/>: passed to every call, so that none can hang.</summary>
    public CancellationToken Timeout => _timeout.Token;

    /// <summary>
    /// Starts an instance; <paramref name="configure"/> may change any other option (faults, limits), and
    /// <paramref name="logs"/> receives what the instance logs.
    /// </summary>
    public static async Task<TestServer> StartAsync(
        int capacity = 0, int? queueLimit = null, string? instanceId = null, Action<ServerOptions>? configure = null, ILoggerProvider? logs = null)
    {
        var instance = await InProcessFleet.StartAsync(
            configure: (_, options) =>
            {
                options.Capacity = capacity;
                options.QueueLimit = queueLimit;
                options.InstanceId = instanceId;
                configure?.Invoke(options);
            },
            logs: logs);
        var server = new TestServer(instance);
        // Opens the client's connection, so that a test's first call (one with a short deadline, say) does not pay for it.
        await server.GetStatsAsync();
        return server;
    }

    public async Task<InstanceStats> GetStatsAsync() =>
        await Client.GetStatsAsync(new StatsRequest(), cancellationToken: Timeout);

    /// <summary>
    /// Polls the stats until <paramref name="condition"/> holds, for at most <see cref="Patience"/>; fails the test
    /// with the last stats read, naming what it waited for, when it never does.
    /// </summary>
    public Task<InstanceStats> WaitForStatsAsync(Func<InstanceStats, bool> condition, string what) =>
        WaitForStatsAsync(GetStatsAsync, condition, what);

    /// <summary>
    /// <see cref="WaitForStatsAsync(Func{InstanceStats, bool}, string)"/> reading the instance's stats in-process rather
    /// than by a call: for tests that count the requests the instance receives.
    /// </summary>
    public Task<InstanceStats> WaitForStatsInProcessAsync(Func<InstanceStats, bool> condition, string what)
    {
        var reader = Services.GetRequiredService<InstanceStatsReader>();
        return WaitForStatsAsync(() => Task.FromResult(reader.Read()), condition, what);
    }

    private async Task<InstanceStats> WaitForStatsAsync(Func<Task<InstanceStats>> read, Func<InstanceStats, bool> condition, string what)
    {
        InstanceStats stats;
        do
        {
            stats = await read();
            if (condition(stats))
            {
                return stats;
            }

            await Task.Delay(PollInterval);
        }
        while (!Timeout.IsCancellationRequested);

        throw new TimeoutException($"waited {Patience.TotalSeconds}s for {what}; the last stats were {stats}");
    }

    /// <summary>The instance's graceful stop, as on SIGTERM; the client stays open to see how its calls end.</summary>
    public Task StopAsync() => _instance.StopAsync(0);

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _instance.DisposeAsync();
        _timeout.Dispose();
    }
}

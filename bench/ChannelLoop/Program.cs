using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using GrpcLoadLab.Balancer;
using GrpcLoadLab.Bench.ChannelLoop;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Metrics;
using Microsoft.Extensions.DependencyInjection;

// The same closed loop (unary calls, server streams or bidi streams) through one balanced channel of the lab
// (round_robin, default options), through one plain Grpc.Net.Client channel per instance, or through one channel on
// grpc-dotnet's own round_robin with no lab code;
// or unary calls due at a constant rate (--rate, an open loop paced as loadgen's);
// prints one line: mode= kind= calls= messages= seconds= rps= mps= errors= client_cpu_seconds= gc_pause_seconds= (open: lag_p50_us= lag_p99_us= lag_p999_us= lag_max_us=)
// Exit code: 0, 1 when any call failed (the run is not comparable), 2 for a bad command line or target.
if (LoopOptions.Parse(args) is not { } options)
{
    return 2;
}

var channels = new List<IDisposable>();
var clients = new List<LoadLab.LoadLabClient>();
BalancedChannel? balanced = null;
if (options.Mode == "balanced")
{
    try
    {
        balanced = BalancedChannelFactory.Create(options.Target!);
    }
    catch (BalancerConfigurationException e)
    {
        Console.Error.WriteLine($"channel-loop: {e.Message}");
        return 2;
    }

    channels.Add(balanced);
    clients.Add(new LoadLab.LoadLabClient(balanced.Channel));
}
else if (options.Mode == "grpc-round-robin")
{
    // What grpc-dotnet's balancing costs by itself: its static resolver and round_robin, none of the lab's resolver
    // wrapper (health), policies or tracking handler.
    var addresses = options.Addresses.Select(a => new Uri($"http://{a}")).Select(u => new BalancerAddress(u.DnsSafeHost, u.Port)).ToArray();
    var services = new ServiceCollection();
    services.AddSingleton<ResolverFactory>(new StaticResolverFactory(_ => addresses));
    var provider = services.BuildServiceProvider();
    var channel = GrpcChannel.ForAddress("static:///lab", new GrpcChannelOptions
    {
        Credentials = ChannelCredentials.Insecure,
        ServiceProvider = provider,
        ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } },
        // The transport of BalancedChannelFactory with default options (MaxConnectionsPerEndpoint is unlimited, the
        // handler's default), so that balanced vs this mode differs only in the lab's code. Against plain mode it
        // shares EnableMultipleHttp2Connections; the other settings act only when connecting, on idle connections or
        // after 60 s without a frame, never in a loaded run. The channel's reconnect backoff and retry settings are
        // left at grpc-dotnet's defaults: they act only on failures, and this service config has no retry policy.
        HttpHandler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        },
    });
    // The channel before the provider that holds its resolver factory.
    channels.Add(channel);
    channels.Add(provider);
    clients.Add(new LoadLab.LoadLabClient(channel));
}
else
{
    foreach (var address in options.Addresses)
    {
        var channel = GrpcChannel.ForAddress($"http://{address}", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        });
        channels.Add(channel);
        clients.Add(new LoadLab.LoadLabClient(channel));
    }
}

// grpc-dotnet's round_robin counts nothing: the instances' own counters, read outside the loop, show the spread.
var servedBefore = options.Mode == "grpc-round-robin" ? await UnaryCompletedAsync(options.Addresses) : null;
var result = options.Rate is { } rate ? await new OpenModelLoop(clients, options, rate).RunAsync() : await new ClosedLoop(clients, options).RunAsync();
if (balanced is not null)
{
    // On stderr, to check that the balanced channel did spread the calls.
    Console.Error.WriteLine("picks: " + string.Join(' ', balanced.Endpoints.Snapshot().Select(e => $"{e.Address}={e.Picks}")));
}
else if (servedBefore is not null)
{
    var servedAfter = await UnaryCompletedAsync(options.Addresses);
    Console.Error.WriteLine("served: " + string.Join(' ', options.Addresses.Select((a, i) => $"{a}={servedAfter[i] - servedBefore[i]}")));
}

if (result.FirstError is not null)
{
    Console.Error.WriteLine($"first error: {result.FirstError}");
}

foreach (var channel in channels)
{
    channel.Dispose();
}

Console.WriteLine(
    $"mode={options.Mode} kind={options.Kind} calls={result.Calls} messages={result.Messages} seconds={result.Elapsed.TotalSeconds:F2} "
    + $"rps={result.Rate:F1} mps={result.MessageRate:F1} errors={result.Errors} client_cpu_seconds={result.ClientCpu.TotalSeconds:F2} gc_pause_seconds={result.GcPause.TotalSeconds:F3}"
    + (options.Rate is null ? "" : $" lag_p50_us={result.ScheduleLagAt(50)} lag_p99_us={result.ScheduleLagAt(99)} lag_p999_us={result.ScheduleLagAt(99.9)} lag_max_us={result.ScheduleLagAt(100)}")
    + (result.Dispatcher is not { } dispatcher ? "" : $" wake_p99_us={(dispatcher.WakeUpLateness.TotalCount == 0 ? "-" : dispatcher.WakeUpLateness.GetValueAtPercentile(99))} realtime_seconds={Ticks.ToSeconds(dispatcher.RealTimeTicks):F2} paced_seconds={Ticks.ToSeconds(dispatcher.PacedTicks):F2}"));
return result.Errors == 0 ? 0 : 1;

// The unary calls each instance has completed since it started (warm-up and other runs included).
static async Task<long[]> UnaryCompletedAsync(IReadOnlyList<string> addresses)
{
    var completed = new long[addresses.Count];
    for (var i = 0; i < addresses.Count; i++)
    {
        using var channel = GrpcChannel.ForAddress($"http://{addresses[i]}");
        var stats = await new LoadLab.LoadLabClient(channel).GetStatsAsync(new StatsRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
        completed[i] = stats.Unary.Completed;
    }

    return completed;
}

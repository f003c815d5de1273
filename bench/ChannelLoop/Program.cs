using Grpc.Net.Client;
using GrpcLoadLab.Balancer;
using GrpcLoadLab.Bench.ChannelLoop;
using GrpcLoadLab.Contracts;

// The same closed loop through one balanced channel (round_robin, default options) or through one plain
// Grpc.Net.Client channel per instance; prints one line: mode= calls= seconds= rps= errors= client_cpu_seconds=
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

var result = await new ClosedLoop(clients, options).RunAsync();
if (balanced is not null)
{
    // On stderr, to check that the balanced channel did spread the calls.
    Console.Error.WriteLine("picks: " + string.Join(' ', balanced.Endpoints.Snapshot().Select(e => $"{e.Address}={e.Picks}")));
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
    $"mode={options.Mode} calls={result.Calls} seconds={result.Elapsed.TotalSeconds:F2} rps={result.Rate:F1} "
    + $"errors={result.Errors} client_cpu_seconds={result.ClientCpu.TotalSeconds:F2}");
return result.Errors == 0 ? 0 : 1;

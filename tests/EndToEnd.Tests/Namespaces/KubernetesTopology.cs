using System.Globalization;
using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.EndToEnd.Tests.Processes;

namespace GrpcLoadLab.EndToEnd.Tests.Namespaces;

/// <summary>
/// deploy/kubernetes's topology, for real on this machine: every server "pod" and every load agent a host of its own
/// in a <see cref="LabNetwork"/>, and one DNS name that a DNS server on another host resolves to the servers the test
/// chooses (what a headless Service does). The servers run with the Deployment's flags and are SERVING when this
/// returns; the agents resolve names through that DNS server. Disposing removes all of it.
/// </summary>
internal sealed class KubernetesTopology : IAsyncDisposable
{
    /// <summary>The headless Service's name, and the servers' port.</summary>
    public const string ServiceName = "lab-server.lab-kube.test";
    public const int Port = 7800;

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);

    private readonly LabNetwork _network;
    private readonly Dictionary<NetworkHost, GrpcChannel> _channels = [];

    private KubernetesTopology(LabNetwork network, DnsResponder dns, IReadOnlyList<NetworkHost> servers, IReadOnlyList<HostProcess> processes, IReadOnlyList<NetworkHost> agents, string folder)
    {
        _network = network;
        Dns = dns;
        Servers = servers;
        ServerProcesses = processes;
        Agents = agents;
        Folder = folder;
    }

    public DnsResponder Dns { get; }

    public IReadOnlyList<NetworkHost> Servers { get; }

    public IReadOnlyList<HostProcess> ServerProcesses { get; }

    public IReadOnlyList<NetworkHost> Agents { get; }

    /// <summary>A folder of the test's own for scenarios and results; deleted on dispose.</summary>
    public string Folder { get; }

    public static string Target => $"dns:{ServiceName}:{Port}";

    public static async Task<KubernetesTopology> StartAsync(int servers, int agents)
    {
        var network = await LabNetwork.CreateAsync();
        DnsResponder? dns = null;
        var folder = Directory.CreateTempSubdirectory("lab-kube-").FullName;
        try
        {
            var dnsHost = await network.AddHostAsync("dns", 2);
            dns = DnsResponder.Start(dnsHost, ServiceName);
            var serverHosts = new List<NetworkHost>();
            for (var i = 1; i <= servers; i++)
            {
                serverHosts.Add(await network.AddHostAsync($"s{i}", 10 + i));
            }

            var agentHosts = new List<NetworkHost>();
            for (var i = 1; i <= agents; i++)
            {
                var agent = await network.AddHostAsync($"a{i}", 20 + i);
                LabNetwork.UseDns(agent, dnsHost);
                agentHosts.Add(agent);
            }

            // The Deployment's flags (deploy/kubernetes/server.yaml), on the pod's own address.
            var processes = serverHosts.Select((host, i) => network.Start(
                host,
                folder,
                null,
                "dotnet",
                RepositoryPaths.ServerDll,
                "--address",
                host.Address.ToString(),
                "--port",
                Port.ToString(CultureInfo.InvariantCulture),
                "--instance-id",
                $"s{i + 1}",
                "--drain-delay",
                "5s",
                "--drain-timeout",
                "20s")).ToList();
            var topology = new KubernetesTopology(network, dns, serverHosts, processes, agentHosts, folder);
            // SERVING, asked from an agent's host: the servers are reachable across the bridge.
            await Task.WhenAll(serverHosts.Select(host => HealthProbe.WaitUntilServingAsync(topology.ChannelTo(host), StartLimit)));
            return topology;
        }
        catch
        {
            if (dns is not null)
            {
                await dns.DisposeAsync();
            }

            await network.DisposeAsync();
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>The addresses the service name resolves to on <paramref name="agent"/>, through its resolver (getent, glibc's own).</summary>
    public static async Task<IReadOnlyList<IPAddress>> ResolveAsync(NetworkHost agent)
    {
        var result = await LabNetwork.RunAsync(agent, "getent", "ahostsv4", ServiceName);
        Assert.True(result.ExitCode == 0, $"{ServiceName} does not resolve on {agent}: {result}");
        return [.. result.StandardOutputLines.Select(line => IPAddress.Parse(line.Split(' ', 2)[0])).Distinct().Order(Comparer<IPAddress>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString())))];
    }

    /// <summary>Unary calls <paramref name="server"/> has completed since it started (its own counter, asked from the first agent's host).</summary>
    public async Task<long> CallsServedAsync(NetworkHost server)
    {
        try
        {
            var stats = await new LoadLab.LoadLabClient(ChannelTo(server)).GetStatsAsync(new StatsRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
            return stats.Unary?.Completed ?? 0;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            return 0;
        }
    }

    /// <summary>Waits until <paramref name="server"/> has served at least <paramref name="calls"/> calls of <paramref name="load"/>'s.</summary>
    public async Task WaitUntilServedAsync(NetworkHost server, long calls, HostProcess load, TimeSpan within)
    {
        using var limit = new CancellationTokenSource(within);
        while (await CallsServedAsync(server) < calls)
        {
            Assert.False(load.HasExited, $"loadgen ended before {server} served {calls} calls:\n{load}");
            Assert.False(limit.IsCancellationRequested, $"{server} did not serve {calls} calls within {within.TotalSeconds}s:\n{load}");
            await Task.Delay(200, CancellationToken.None);
        }
    }

    /// <summary>
    /// Writes a scenario file into <see cref="Folder"/>: a unary call, <paramref name="target"/> and the phases; its
    /// results in <paramref name="reports"/> (relative to where loadgen runs), else in Folder/reports/NAME.
    /// </summary>
    public string WriteScenario(string name, string target, string phases, string? reports = null)
    {
        var path = Path.Combine(Folder, $"{name}.json");
        File.WriteAllText(path, $$"""
            {
              "name": "{{name}}",
              "target": {{target}},
              "call": { "kind": "unary", "requestSize": 64, "replySize": 64, "delay": "1ms" },
              "phases": [{{phases}}],
              "report": { "directory": "{{reports ?? Path.Combine(Folder, "reports", name)}}" }
            }
            """);
        return path;
    }

    /// <summary>loadgen on <paramref name="agent"/> in <paramref name="folder"/> (made if need be), with scripts/loadgen's GC settings.</summary>
    public HostProcess StartLoadGen(NetworkHost agent, string folder, params string[] arguments) =>
        _network.Start(
            agent,
            Directory.CreateDirectory(folder).FullName,
            new Dictionary<string, string?> { ["DOTNET_GCgen0size"] = "0x2000000", ["DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION"] = "4096" },
            ["dotnet", RepositoryPaths.LoadGenDll, .. arguments]);

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }

        await Dns.DisposeAsync();
        await _network.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }

    private GrpcChannel ChannelTo(NetworkHost server)
    {
        lock (_channels)
        {
            if (!_channels.TryGetValue(server, out var channel))
            {
                _channels[server] = channel = Agents[0].ChannelTo(server.Address, Port);
            }

            return channel;
        }
    }
}

using System.ComponentModel;
using System.Globalization;
using System.Net;
using GrpcLoadLab.EndToEnd.Tests.Processes;

namespace GrpcLoadLab.EndToEnd.Tests.Namespaces;

/// <summary>
/// A network of hosts on this machine, made for one test and removed by it: a namespace holding a bridge (the
/// switch), and one namespace per host joined to it by a veth pair, each with its own address in 198.18.0.0/24 (the
/// range set aside for benchmark networks, RFC 2544). Nothing leaves it: the machine's own namespace has no interface
/// on the bridge and no route into it. Every name carries the test process's PID (lab-kube-PID-ROLE), so that
/// concurrent runs never meet. Disposing kills the processes it started (by PID) and deletes the namespaces and their
/// /etc/netns folders, also after a failure.
/// </summary>
internal sealed class LabNetwork : IAsyncDisposable
{
    public const string NamePrefix = "lab-kube-";
    private const string Bridge = "br0";
    private const string Subnet = "198.18.0.";

    private readonly string _tag = $"{NamePrefix}{Environment.ProcessId}-";
    private readonly List<string> _namespaces = [];
    private readonly List<HostProcess> _processes = [];

    private LabNetwork()
    {
    }

    private string Switch => _tag + "switch";

    /// <summary>Makes the switch; fails in one line where namespaces cannot be made (not root, no iproute2).</summary>
    public static async Task<LabNetwork> CreateAsync()
    {
        var network = new LabNetwork();
        try
        {
            await network.AddNamespaceAsync(network.Switch);
            await IpAsync("-n", network.Switch, "link", "add", Bridge, "type", "bridge");
            await IpAsync("-n", network.Switch, "link", "set", Bridge, "up");
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    /// <summary>A host named <paramref name="role"/> at 198.18.0.<paramref name="number"/>.</summary>
    public async Task<NetworkHost> AddHostAsync(string role, int number)
    {
        var name = _tag + role;
        await AddNamespaceAsync(name);
        // The switch's end of the pair is made in the switch's namespace, so its name meets no other run's.
        var port = $"v-{role}";
        await IpAsync("-n", Switch, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", name);
        await IpAsync("-n", Switch, "link", "set", port, "master", Bridge, "up");
        var address = IPAddress.Parse(Subnet + number.ToString(CultureInfo.InvariantCulture));
        await IpAsync("-n", name, "addr", "add", $"{address}/24", "dev", "eth0");
        await IpAsync("-n", name, "link", "set", "eth0", "up");
        return new NetworkHost(name, address);
    }

    /// <summary>
    /// Makes <paramref name="server"/> the DNS server of every program started on <paramref name="host"/>:
    /// ip netns exec mounts the files of /etc/netns/NAME over /etc's.
    /// </summary>
    public static void UseDns(NetworkHost host, NetworkHost server)
    {
        var folder = Directory.CreateDirectory(EtcFolder(host.Namespace)).FullName;
        File.WriteAllText(Path.Combine(folder, "resolv.conf"), $"nameserver {server.Address}\noptions timeout:1 attempts:5\n");
        // Files, then DNS, whatever this machine's own order is (mDNS first, say).
        File.WriteAllText(Path.Combine(folder, "nsswitch.conf"), "hosts: files dns\n");
    }

    /// <summary>Starts a program on <paramref name="host"/> (ip netns exec, which becomes the program: the PID is the program's).</summary>
    public HostProcess Start(NetworkHost host, string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] command)
    {
        var process = HostProcess.Start("ip", ["netns", "exec", host.Namespace, .. command], workingDirectory, environment);
        _processes.Add(process);
        return process;
    }

    /// <summary>Runs a command on <paramref name="host"/> to its end.</summary>
    public static Task<CommandResult> RunAsync(NetworkHost host, params string[] command) =>
        CommandRunner.RunAsync("ip", ["netns", "exec", host.Namespace, .. command]);

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        // The switch last: deleting a host's namespace removes its veth pair, deleting the switch the bridge.
        foreach (var name in Enumerable.Reverse(_namespaces))
        {
            await CommandRunner.RunAsync("ip", ["netns", "delete", name]);
            if (Directory.Exists(EtcFolder(name)))
            {
                Directory.Delete(EtcFolder(name), recursive: true);
            }
        }
    }

    private static string EtcFolder(string namespaceName) => Path.Combine("/etc/netns", namespaceName);

    private async Task AddNamespaceAsync(string name)
    {
        CommandResult result;
        try
        {
            result = await CommandRunner.RunAsync("ip", ["netns", "add", name]);
        }
        catch (Win32Exception)
        {
            throw new InvalidOperationException("network namespaces cannot be made here: iproute2's ip is not installed (scripts/test.sh installs it, as root)");
        }

        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"network namespaces cannot be made here (ip netns add {name}: {result.StandardError.Trim()}): this test needs root, as CI has");
        }

        _namespaces.Add(name);
        await IpAsync("-n", name, "link", "set", "lo", "up");
    }

    private static async Task IpAsync(params string[] arguments)
    {
        var result = await CommandRunner.RunAsync("ip", arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed: {result.StandardError.Trim()}");
        }
    }
}

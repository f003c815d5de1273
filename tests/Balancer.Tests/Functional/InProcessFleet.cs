using GrpcLoadLab.Server.Hosting;
using Microsoft.AspNetCore.Builder;

namespace GrpcLoadLab.Balancer.Tests.Functional;

/// <summary>
/// N real lab server instances (Kestrel, h2c) started in-process on free loopback ports, with a registry file
/// listing them. Instances can be stopped (gracefully, as on SIGTERM) and restarted on the same port.
/// </summary>
internal sealed class InProcessFleet : IAsyncDisposable
{
    private readonly WebApplication?[] _instances;
    private readonly string _directory = Directory.CreateTempSubdirectory("lab-fleet-").FullName;

    private InProcessFleet(WebApplication[] instances, int[] ports)
    {
        _instances = instances;
        Ports = ports;
        RegistryPath = Path.Combine(_directory, "servers.txt");
        WriteRegistry(Enumerable.Range(0, ports.Length));
    }

    public int[] Ports { get; }

    public string RegistryPath { get; }

    public string FileTarget => $"file:{RegistryPath}";

    public string StaticTarget => "static:" + string.Join(',', Ports.Select(p => $"127.0.0.1:{p}"));

    public static string InstanceId(int port) => $"server-{port}";

    public string InstanceIdOf(int index) => InstanceId(Ports[index]);

    /// <summary>Starts <paramref name="count"/> instances; <paramref name="configure"/> may change each one's options.</summary>
    public static async Task<InProcessFleet> StartAsync(int count, Action<int, ServerOptions>? configure = null)
    {
        var instances = new WebApplication[count];
        var ports = new int[count];
        for (var i = 0; i < count; i++)
        {
            instances[i] = await StartInstanceAsync(0, options => configure?.Invoke(i, options));
            ports[i] = LabServerHost.BoundPort(instances[i]);
        }

        return new InProcessFleet(instances, ports);
    }

    /// <summary>Rewrites the registry to list exactly the instances at <paramref name="indexes"/>.</summary>
    public void WriteRegistry(IEnumerable<int> indexes)
    {
        var temporary = RegistryPath + ".tmp";
        File.WriteAllLines(temporary, indexes.Select(i => $"127.0.0.1:{Ports[i]}"));
        File.Move(temporary, RegistryPath, overwrite: true);
    }

    /// <summary>Stops an instance the way SIGTERM does: NOT_SERVING, the drain delay, then Kestrel's stop.</summary>
    public async Task StopAsync(int index)
    {
        var instance = _instances[index] ?? throw new InvalidOperationException($"instance {index} is not running");
        _instances[index] = null;
        await instance.StopAsync();
        await instance.DisposeAsync();
    }

    /// <summary>Starts a stopped instance again on its port.</summary>
    public async Task RestartAsync(int index, Action<ServerOptions>? configure = null) =>
        _instances[index] = await StartInstanceAsync(Ports[index], configure);

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < _instances.Length; i++)
        {
            if (_instances[i] is not null)
            {
                await StopAsync(i);
            }
        }

        Directory.Delete(_directory, recursive: true);
    }

    private static async Task<WebApplication> StartInstanceAsync(int port, Action<ServerOptions>? configure)
    {
        var options = new ServerOptions { Port = port, DrainDelay = TimeSpan.Zero, DrainTimeout = TimeSpan.FromSeconds(10) };
        configure?.Invoke(options);
        var app = LabServerHost.Build(options);
        await app.StartAsync();
        return app;
    }
}

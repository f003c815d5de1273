// The load generator's tests see the server's assembly under an alias (both compile the one proto), so its types are
// named through it there; every other project sees them plainly.
#if LAB_SERVER_ALIASED
extern alias LabServer;
using LabServer::GrpcLoadLab.Server.Hosting;
#else
using GrpcLoadLab.Server.Hosting;
#endif
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace GrpcLoadLab.Testing;

/// <summary>
/// N real lab server instances (Kestrel, h2c) started in-process on free loopback ports: the one way every test
/// project and benchmark starts a server of its own. Instances can be stopped (gracefully, as on SIGTERM) and started
/// again on their port; <see cref="RegistryPath"/> lists them for a <c>file:</c> target, made when first asked for.
/// </summary>
internal sealed class InProcessFleet : IAsyncDisposable
{
    private readonly WebApplication?[] _instances;
    private readonly ILoggerProvider? _logs;
    private string? _registryPath;

    private InProcessFleet(WebApplication[] instances, ILoggerProvider? logs)
    {
        _instances = instances;
        _logs = logs;
        Ports = [.. instances.Select(LabServerHost.BoundPort)];
    }

    public int[] Ports { get; }

    /// <summary>A registry file listing every instance, in a folder of its own that disposing the fleet deletes.</summary>
    public string RegistryPath => _registryPath ??= CreateRegistry();

    public string FileTarget => $"file:{RegistryPath}";

    public string StaticTarget => "static:" + string.Join(',', Ports.Select((_, i) => Address(i)));

    /// <summary>The instance id a lab server gives itself when none is set.</summary>
    public static string InstanceId(int port) => $"server-{port}";

    public string InstanceIdOf(int index) => InstanceId(Ports[index]);

    public string Address(int index = 0) => $"127.0.0.1:{Ports[index]}";

    /// <summary>
    /// Starts <paramref name="count"/> instances, with no drain delay (a test's instance has no clients to warn);
    /// <paramref name="configure"/> may change each one's options (by index), and <paramref name="logs"/> receives what
    /// they log.
    /// </summary>
    public static async Task<InProcessFleet> StartAsync(int count = 1, Action<int, ServerOptions>? configure = null, ILoggerProvider? logs = null)
    {
        var instances = new WebApplication[count];
        for (var i = 0; i < count; i++)
        {
            instances[i] = await StartInstanceAsync(0, options => configure?.Invoke(i, options), logs);
        }

        return new InProcessFleet(instances, logs);
    }

    /// <summary>The running instance at <paramref name="index"/>: its services and listeners, for tests that read them directly.</summary>
    public WebApplication Instance(int index) => _instances[index] ?? throw new InvalidOperationException($"instance {index} is not running");

    /// <summary>Rewrites the registry to list exactly the instances at <paramref name="indexes"/>.</summary>
    public void WriteRegistry(IEnumerable<int> indexes)
    {
        var temporary = RegistryPath + ".tmp";
        File.WriteAllLines(temporary, indexes.Select(i => Address(i)));
        File.Move(temporary, RegistryPath, overwrite: true);
    }

    /// <summary>Stops an instance the way SIGTERM does: NOT_SERVING, the drain delay, then Kestrel's stop.</summary>
    public async Task StopAsync(int index)
    {
        var instance = Instance(index);
        _instances[index] = null;
        await instance.StopAsync();
        await instance.DisposeAsync();
    }

    /// <summary>Starts a stopped instance again on its port; <paramref name="configure"/> may change its options.</summary>
    public async Task RestartAsync(int index, Action<ServerOptions>? configure = null) =>
        _instances[index] = await StartInstanceAsync(Ports[index], options => configure?.Invoke(options), _logs);

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < _instances.Length; i++)
        {
            if (_instances[i] is not null)
            {
                await StopAsync(i);
            }
        }

        if (_registryPath is not null)
        {
            Directory.Delete(Path.GetDirectoryName(_registryPath)!, recursive: true);
        }
    }

    private string CreateRegistry()
    {
        _registryPath = Path.Combine(Directory.CreateTempSubdirectory("lab-fleet-").FullName, "servers.txt");
        WriteRegistry(Enumerable.Range(0, Ports.Length));
        return _registryPath;
    }

    private static async Task<WebApplication> StartInstanceAsync(int port, Action<ServerOptions> configure, ILoggerProvider? logs)
    {
        var options = new ServerOptions { Port = port, DrainDelay = TimeSpan.Zero, DrainTimeout = TimeSpan.FromSeconds(10) };
        configure(options);
        var app = LabServerHost.Build(options, logs is null ? null : logging => logging.AddProvider(logs));
        await app.StartAsync();
        return app;
    }
}

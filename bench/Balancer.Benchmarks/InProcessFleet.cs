using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Hosting;
using Microsoft.AspNetCore.Builder;

namespace GrpcLoadLab.Balancer.Benchmarks;

/// <summary>N real lab server instances (Kestrel, h2c) started in the benchmark's process on free loopback ports.</summary>
internal sealed class InProcessFleet : IAsyncDisposable
{
    private readonly WebApplication[] _instances;

    private InProcessFleet(WebApplication[] instances)
    {
        _instances = instances;
        Ports = [.. instances.Select(LabServerHost.BoundPort)];
    }

    public int[] Ports { get; }

    public string StaticTarget => "static:" + string.Join(',', Ports.Select(p => $"127.0.0.1:{p}"));

    public static async Task<InProcessFleet> StartAsync(int count)
    {
        var instances = new WebApplication[count];
        for (var i = 0; i < count; i++)
        {
            instances[i] = LabServerHost.Build(new ServerOptions { Port = 0, DrainDelay = TimeSpan.Zero });
            await instances[i].StartAsync();
        }

        return new InProcessFleet(instances);
    }

    /// <summary>A small unary call, with a deadline so that a setup never hangs on a server that does not answer.</summary>
    public static async Task CallAsync(LoadLab.LoadLabClient client) =>
        await client.UnaryAsync(new WorkRequest { ReplySize = 16 }, deadline: DateTime.UtcNow.AddSeconds(10));

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.StopAsync();
            await instance.DisposeAsync();
        }
    }
}

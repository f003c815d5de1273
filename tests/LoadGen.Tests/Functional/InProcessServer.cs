extern alias LabServer;

using LabServer::GrpcLoadLab.Server.Hosting;
using Microsoft.AspNetCore.Builder;

namespace GrpcLoadLab.LoadGen.Tests.Functional;

/// <summary>One real lab server instance (Kestrel, h2c) in-process on a free loopback port.</summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessServer(WebApplication app)
    {
        _app = app;
        Port = LabServerHost.BoundPort(app);
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public string StaticTarget => $"static:{Address}";

    /// <param name="allowFaults">Whether SetFault may put a fault in force (the server's --allow-faults).</param>
    public static async Task<InProcessServer> StartAsync(bool allowFaults = false)
    {
        var app = LabServerHost.Build(new ServerOptions { Port = 0, DrainDelay = TimeSpan.Zero, AllowFaults = allowFaults });
        await app.StartAsync();
        return new InProcessServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

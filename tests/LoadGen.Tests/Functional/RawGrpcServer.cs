using System.Net;
using GrpcLoadLab.LoadGen.Scenarios;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace GrpcLoadLab.LoadGen.Tests.Functional;

/// <summary>
/// Raw HTTP/2 on Kestrel, on a free loopback port, answering gRPC paths by hand: a server that does exactly what a
/// test needs (any status code, a call ended mid-stream), as no gRPC server library would.
/// </summary>
internal static class RawGrpcServer
{
    /// <summary>Starts a server whose paths <paramref name="map"/> maps.</summary>
    public static async Task<WebApplication> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return app;
    }

    /// <summary>The server's address as a scenario's target: <c>static:127.0.0.1:PORT</c>.</summary>
    public static TargetAddress Target(WebApplication server) =>
        TargetAddress.Parse($"static:{Authority(server)}");

    /// <summary>The server's <c>127.0.0.1:PORT</c>.</summary>
    public static string Authority(WebApplication server) =>
        server.Urls.Single().Replace("http://", string.Empty, StringComparison.Ordinal);
}

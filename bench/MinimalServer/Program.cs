using System.Net;
using GrpcLoadLab.Bench.MinimalServer;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// The smallest Grpc.AspNetCore server of the lab contract: usage `--port P`. Only the lab server's tuning is copied
// (LabServerHost), none of its features, so that the benchmark's ratio prices the features alone.
if (args is not ["--port", var portText] || !int.TryParse(portText, out var port) || port is < 1 or > 65535)
{
    Console.Error.WriteLine("minimal-server: usage: GrpcLoadLab.Bench.MinimalServer --port P (1-65535)");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseSockets(o => o.WaitForDataBeforeAllocatingBuffer = false);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    // Kestrel's HTTP/2 defaults, as the lab server keeps them.
    kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2);
});
builder.Services.Configure<RouteOptions>(o => o.SuppressCheckForUnhandledSecurityMetadata = true);
builder.Services.AddGrpc(o => o.IgnoreUnknownServices = true);
builder.Services.AddSingleton(new MinimalLoadLabService($"minimal-{port}"));

var app = builder.Build();
app.MapGrpcService<MinimalLoadLabService>();
await app.RunAsync();
return 0;

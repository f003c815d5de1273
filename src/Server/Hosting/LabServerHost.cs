using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Faults;
using GrpcLoadLab.Server.Health;
using GrpcLoadLab.Server.Metrics;
using GrpcLoadLab.Server.Metrics.Timeline;
using GrpcLoadLab.Server.Services;
using GrpcLoadLab.Server.Work;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace GrpcLoadLab.Server.Hosting;

/// <summary>
/// Builds one lab server instance: h2c (or with TLS, HTTPS with HTTP/2) on the given address and port, the lab service, health and reflection,
/// tuned for throughput the way grpc-dotnet's benchmark server is. Used by the program and by the tests.
/// </summary>
public static class LabServerHost
{
    /// <param name="options">The instance's settings; validated first.</param>
    /// <param name="logging">Adds to the logging set up here (tests read what the instance logs).</param>
    public static WebApplication Build(ServerOptions options, Action<ILoggingBuilder>? logging = null)
    {
        options.Validate();
        var tls = ServerTls.Load(options);

        var builder = WebApplication.CreateSlimBuilder();

        // Warnings and errors only: nothing is logged per call on the hot path.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // A failed start (a port in use) is reported by the program in one line, not as the host's stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        // With any provider on, ASP.NET Core's hosting layer starts an Activity and a log scope for every request
        // (about 900 bytes and 15-20% of a call's CPU, bench/server-throughput.sh found); nothing here logs from it.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        // A draining instance is unhealthy on purpose: every health check during the drain is not an error.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);
        // One line per fault change (never per call): a log reader must see when the instance was failing on purpose.
        builder.Logging.AddFilter(typeof(FaultInjector).Namespace, LogLevel.Information);
        logging?.Invoke(builder.Logging);

        builder.WebHost.UseSockets(o => o.WaitForDataBeforeAllocatingBuffer = false);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Limits against abusive clients (docs/server-limits.md). Kestrel's HTTP/2 rapid-reset guard (CVE-2023-44487:
            // streams opened and reset in a loop) stays on: the AppContext switch
            // Microsoft.AspNetCore.Server.Kestrel.Http2.MaxEnhanceYourCalmCount keeps its default of 20 and must never
            // be set to 0 or less, which turns the guard off. The 1 MiB / 768 KiB flow-control windows are Kestrel's,
            // and suit messages well under 100 KB.
            kestrel.Limits.MaxConcurrentConnections = options.MaxConcurrentConnections;
            kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
            kestrel.Listen(options.Address, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                tls?.ApplyTo(listen);
            });
        });

        MetricsExport.AddTo(builder, options);

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.DrainTimeout);
        builder.Services.Configure<RouteOptions>(o => o.SuppressCheckForUnhandledSecurityMetadata = true);

        builder.Services.AddGrpc(o =>
        {
            o.IgnoreUnknownServices = true;
            // A request over the limit fails with RESOURCE_EXHAUSTED; replies are checked up front (WorkLimits).
            o.MaxReceiveMessageSize = options.MaxReceiveMessageSize;
            o.MaxSendMessageSize = options.MaxSendMessageSize;
        });
        builder.Services.AddGrpcReflection();
        builder.Services
            .AddGrpcHealthChecks(o => o.Services.Map(LoadLab.Descriptor.FullName, _ => true))
            .AddCheck<DrainHealthCheck>("drain");

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<FaultInjector>();
        builder.Services.AddSingleton<WorkLimits>();
        builder.Services.AddSingleton<InstanceIdentity>();
        builder.Services.AddSingleton<ServerInstruments>();
        builder.Services.AddSingleton<CallTally>();
        builder.Services.AddSingleton<InstanceCounters>();
        builder.Services.AddSingleton<InstanceStatsReader>();
        builder.Services.AddSingleton<CapacityGate>();
        builder.Services.AddSingleton<PayloadCache>();
        builder.Services.AddSingleton<CallAdmission>();
        builder.Services.AddSingleton<LoadLabService>();
        builder.Services.AddSingleton<DrainCoordinator>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DrainCoordinator>());
        builder.Services.AddSingleton<ServerTimeline>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ServerTimeline>());

        var app = builder.Build();
        MetricsExport.MapTo(app, options);
        app.MapGrpcService<LoadLabService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();

        // The lab's instruments exist from the start, so that an export shows them before the first call.
        app.Services.GetRequiredService<ServerInstruments>();
        var identity = app.Services.GetRequiredService<InstanceIdentity>();
        if (options.Port != 0)
        {
            identity.Assign(options.InstanceId, options.Port);
        }
        else
        {
            app.Lifetime.ApplicationStarted.Register(() => identity.Assign(options.InstanceId, BoundPort(app)));
        }

        return app;
    }

    /// <summary>The gRPC port the server listens on: the one asked for, or the one the system gave for port 0.</summary>
    public static int BoundPort(WebApplication app) => BoundPorts(app)[0];

    /// <summary>Every port the server listens on, in the order its listeners were configured: the gRPC one first.</summary>
    public static IReadOnlyList<int> BoundPorts(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        return [.. addresses.Addresses.Select(address => new Uri(address).Port)];
    }
}

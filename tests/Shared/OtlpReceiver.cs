using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Collector.Metrics.V1;

namespace GrpcLoadLab.Testing;

/// <summary>
/// A small OTLP collector: a real gRPC server of OTLP's MetricsService (the protocol's own proto, Otlp/, compiled in
/// each test project that links this file) on a free loopback port, keeping every export request it receives.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app, Requests received)
    {
        _app = app;
        Received = received.Queue;
        Endpoint = new Uri(app.Urls.First());
    }

    /// <summary>Where the exporter sends: http://127.0.0.1:PORT (h2c).</summary>
    public Uri Endpoint { get; }

    public ConcurrentQueue<ExportMetricsServiceRequest> Received { get; }

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var received = new Requests();
        builder.Services.AddSingleton(received);
        var app = builder.Build();
        app.MapGrpcService<MetricsCollector>();
        await app.StartAsync();
        return new OtlpReceiver(app, received);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    internal sealed class Requests
    {
        public ConcurrentQueue<ExportMetricsServiceRequest> Queue { get; } = new();
    }

    private sealed class MetricsCollector(Requests received) : MetricsService.MetricsServiceBase
    {
        public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
        {
            received.Queue.Enqueue(request);
            return Task.FromResult(new ExportMetricsServiceResponse());
        }
    }
}

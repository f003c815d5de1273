using GrpcLoadLab.Server.Metrics.Timeline;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace GrpcLoadLab.Server.Hosting;

/// <summary>
/// The exports of the instance's meters (the same ones its timeline reads), both off by default: a Prometheus scrape
/// endpoint (<c>--prometheus PORT</c>) and an OTLP push over gRPC (<c>--otlp-endpoint URL</c>), by OpenTelemetry's SDK.
/// When neither is asked for, OpenTelemetry is not even registered: a lab run pays nothing for it.
/// </summary>
public static class MetricsExport
{
    public const string ServiceName = "grpc-load-lab-server";
    public const string ScrapePath = "/metrics";

    public static void AddTo(WebApplicationBuilder builder, ServerOptions options)
    {
        if (!options.ExportsMetrics)
        {
            return;
        }

        if (options.PrometheusPort is { } port)
        {
            // A listener of its own on the same Kestrel: the gRPC listener takes HTTP/2 with prior knowledge only, which
            // a scraper does not speak, and a cleartext listener cannot offer both.
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(options.Address, port, listen => listen.Protocols = HttpProtocols.Http1));
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // The id is known here when given or when the port is: a port-0 instance (tests) keeps the SDK's own.
                var id = options.InstanceId ?? (options.Port != 0 ? InstanceIdentity.DefaultId(options.Port) : null);
                resource.AddService(ServiceName, serviceInstanceId: id, autoGenerateServiceInstanceId: id is null);
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ServerTimeline.Meters);
                if (options.PrometheusPort is not null)
                {
                    metrics.AddPrometheusExporter();
                }

                if (options.OtlpEndpoint is { } endpoint)
                {
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        exporter.Endpoint = endpoint;
                        exporter.Protocol = OtlpExportProtocol.Grpc;
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds =
                            (int)(options.OtlpInterval ?? ServerOptions.DefaultOtlpInterval).TotalMilliseconds;
                    });
                }
            });
    }

    public static void MapTo(WebApplication app, ServerOptions options)
    {
        if (options.PrometheusPort is not null)
        {
            // Only the scrape listener speaks HTTP/1.1, so a request's protocol tells where it came in.
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
                context.Request.Path == ScrapePath && HttpProtocol.IsHttp11(context.Request.Protocol));
        }
    }

    /// <summary>The scrape endpoint's port (the one given, or the one the system gave for 0), or null when there is none.</summary>
    public static int? ScrapePort(WebApplication app, ServerOptions options) =>
        options.PrometheusPort is null ? null : LabServerHost.BoundPorts(app)[1];
}

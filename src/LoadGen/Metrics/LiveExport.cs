using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace GrpcLoadLab.LoadGen.Metrics;

/// <summary>
/// The OTLP export of a run's <see cref="LiveMetrics"/>, off by default: OpenTelemetry's SDK reads the meter and
/// pushes it every interval while the run goes, cumulative, with latency and schedule lag as base-2 exponential
/// histograms (they merge across runs and agents with no bucket layout agreed beforehand, at a bounded relative
/// error). The run is named by the resource: <c>service.name</c>, <c>service.instance.id</c> and <c>lab.run.id</c> the run
/// id, <c>lab.scenario</c>. <see cref="Finish"/> sends the last interval when the run ends, Ctrl-C included.
/// </summary>
internal sealed class LiveExport : IDisposable
{
    public const string ServiceName = "grpc-load-lab-loadgen";
    public const string RunIdAttribute = "lab.run.id";
    public const string ScenarioAttribute = "lab.scenario";

    /// <summary>The longest one export may take, the last one included: a collector that is gone must not hold up the result.</summary>
    public static readonly TimeSpan ExportTimeout = TimeSpan.FromSeconds(5);

    private readonly MeterProvider _provider;
    private readonly Uri _endpoint;

    private LiveExport(MeterProvider provider, Uri endpoint)
    {
        _provider = provider;
        _endpoint = endpoint;
    }

    public static LiveExport Start(OtlpExportSettings settings, string scenario, string runId)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var exponential = new Base2ExponentialBucketHistogramConfiguration();
        var provider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(resource => resource
                .AddService(ServiceName, serviceInstanceId: runId, autoGenerateServiceInstanceId: false)
                .AddAttributes([new(RunIdAttribute, runId), new(ScenarioAttribute, scenario)]))
            .AddMeter(LiveMetrics.MeterName)
            .AddView(LiveMetrics.DurationName, exponential)
            .AddView(LiveMetrics.ScheduleLagName, exponential)
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = settings.Endpoint;
                exporter.Protocol = OtlpExportProtocol.Grpc;
                exporter.TimeoutMilliseconds = (int)ExportTimeout.TotalMilliseconds;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)settings.Interval.TotalMilliseconds;
            })
            .Build();
        return new LiveExport(provider, settings.Endpoint);
    }

    /// <summary>
    /// Sends the last interval and stops the export. Returns null when the collector took it, else a line saying that
    /// it did not (the run itself is not affected: <c>result.json</c> holds everything).
    /// </summary>
    public string? Finish()
    {
        // A flush says whether the collector took the export (a shutdown would only say that the exporter stopped);
        // the shutdown after it sends the same cumulative values once more, which a collector takes as no change.
        var sent = _provider.ForceFlush((int)ExportTimeout.TotalMilliseconds);
        _provider.Shutdown((int)ExportTimeout.TotalMilliseconds);
        return sent
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"the OTLP collector at {_endpoint} did not take the live metrics' last export within {ExportTimeout.TotalSeconds:0}s: it misses the run's end (result.json holds the whole run)");
    }

    /// <summary>Stops the export when the run ended before <see cref="Finish"/>; after it, nothing is left to do.</summary>
    public void Dispose() => _provider.Dispose();
}

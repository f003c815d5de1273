using System.Globalization;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Hosting;
using GrpcLoadLab.Server.Metrics;
using GrpcLoadLab.Server.Tests.Functional;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;

namespace GrpcLoadLab.Server.Tests.Export;

/// <summary>
/// The meters leave the instance: a Prometheus scrape by a real HTTP client, and an OTLP push to a real OTLP receiver.
/// Run alone: OpenTelemetry's SDK reads meters by name, so another instance in the process would add its calls.
/// </summary>
[Collection(RunAlone.Name)]
public class ExportTests
{
    private const int Calls = 5;

    [Fact]
    public async Task A_Prometheus_scrape_over_HTTP_1_1_shows_the_lab_s_calls_their_durations_and_Kestrel_s_connections()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.PrometheusPort = 0);
        await UnaryLoad.RunAsync(server.Client, workers: 1, callsPerWorker: Calls, new WorkRequest { DelayMicros = 1_000 });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Ports[1]}") };

        // The exporter may answer from a scrape cached a moment earlier: scrape until the calls show.
        string text;
        do
        {
            using var response = await http.GetAsync(MetricsExport.ScrapePath, server.Timeout);
            response.EnsureSuccessStatusCode();
            Assert.Equal(new Version(1, 1), response.Version);
            text = await response.Content.ReadAsStringAsync(server.Timeout);
        }
        while (Sample(text, "lab_server_calls_total", "lab_call_kind=\"unary\"", "lab_call_outcome=\"completed\"") != Calls && await Pause(server));

        Assert.Equal(Calls, Sample(text, "lab_server_calls_total", "lab_call_kind=\"unary\"", "lab_call_outcome=\"completed\"", "rpc_grpc_status_code=\"0\""));
        Assert.Equal(Calls, Sample(text, "lab_server_call_duration_seconds_count", "lab_call_kind=\"unary\""));
        // Each call lasted at least its 1 ms delay; none near the test's patience.
        Assert.InRange(Sample(text, "lab_server_call_duration_seconds_sum", "lab_call_kind=\"unary\""), Calls * 0.001, Calls * 120.0);
        Assert.Equal(0, Sample(text, "lab_server_active_calls", "lab_call_kind=\"unary\""));
        // The test's channel is open, and so is the scrape's own connection.
        Assert.True(Sample(text, "kestrel_active_connections") >= 2, text);
        Assert.True(Sample(text, "dotnet_process_cpu_time_seconds_total") > 0, text);
        Assert.True(Sample(text, "http_server_request_duration_seconds_count") >= Calls, text);
    }

    [Fact]
    public async Task The_scrape_endpoint_is_not_served_on_the_gRPC_port_and_gRPC_still_works_beside_it()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.PrometheusPort = 0);
        using var http = new HttpClient { BaseAddress = new Uri(server.Address) };

        // The gRPC port speaks HTTP/2 with prior knowledge only: an HTTP/1.1 request gets no scrape.
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetStringAsync(MetricsExport.ScrapePath, server.Timeout));
        var reply = await server.Client.UnaryAsync(new WorkRequest { ReplySize = 3 }, cancellationToken: server.Timeout);
        Assert.Equal(3, reply.Payload.Length);
    }

    [Fact]
    public async Task The_OTLP_export_reaches_an_OTLP_receiver_with_the_lab_s_calls_and_the_instance_named()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var server = await TestServer.StartAsync(instanceId: "otlp-test", configure: o =>
        {
            o.OtlpEndpoint = receiver.Endpoint;
            o.OtlpInterval = TimeSpan.FromMilliseconds(200);
        });

        await UnaryLoad.RunAsync(server.Client, workers: 1, callsPerWorker: Calls, new WorkRequest { DelayMicros = 1_000 });

        // Cumulative sums: the latest export holds every call once it has caught up with them.
        Metric? calls = null;
        while ((calls = Latest(receiver, ServerInstruments.CallsName)) is null || CompletedUnary(calls) != Calls)
        {
            await Pause(server);
        }

        var export = receiver.Received.Last(r => r.ResourceMetrics.Any(rm => rm.ScopeMetrics.Any(s => s.Metrics.Any(m => m.Name == ServerInstruments.CallsName))));
        var resource = export.ResourceMetrics.Single(rm => rm.ScopeMetrics.Any(s => s.Metrics.Any(m => m.Name == ServerInstruments.CallsName))).Resource;
        Assert.Equal(MetricsExport.ServiceName, Attribute(resource.Attributes, "service.name"));
        Assert.Equal("otlp-test", Attribute(resource.Attributes, "service.instance.id"));
        Assert.Equal(AggregationTemporality.Cumulative, calls.Sum.AggregationTemporality);
        Assert.True(calls.Sum.IsMonotonic);

        var duration = Latest(receiver, ServerInstruments.CallDurationName)!;
        Assert.Equal("s", duration.Unit);
        var unaryDurations = duration.Histogram.DataPoints.Where(p => Attribute(p.Attributes, ServerInstruments.KindTag) == "unary").ToList();
        Assert.Equal((ulong)Calls, (ulong)unaryDurations.Sum(p => (long)p.Count));
        Assert.True(unaryDurations.Sum(p => p.Sum) >= Calls * 0.001);
        Assert.NotNull(Latest(receiver, "kestrel.active_connections"));
        Assert.NotNull(Latest(receiver, "dotnet.process.cpu.time"));
    }

    /// <summary>The value of the one sample of <paramref name="metric"/> whose labels include all of <paramref name="labels"/> (0 when none).</summary>
    private static double Sample(string exposition, string metric, params string[] labels)
    {
        var values = exposition.Split('\n')
            .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
            .Where(line => labels.All(label => line.Contains(label, StringComparison.Ordinal)))
            .Select(line => double.Parse(line[(line.LastIndexOf('}') is var end and >= 0 ? end + 1 : metric.Length)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture))
            .ToList();
        return values.Sum();
    }

    private static Metric? Latest(OtlpReceiver receiver, string name) =>
        receiver.Received.SelectMany(r => r.ResourceMetrics).SelectMany(rm => rm.ScopeMetrics).SelectMany(s => s.Metrics).LastOrDefault(m => m.Name == name);

    private static long CompletedUnary(Metric calls) => calls.Sum.DataPoints
        .Where(p => Attribute(p.Attributes, ServerInstruments.KindTag) == "unary" && Attribute(p.Attributes, ServerInstruments.OutcomeTag) == "completed")
        .Sum(p => p.AsInt);

    private static string? Attribute(IEnumerable<KeyValue> attributes, string key) =>
        attributes.FirstOrDefault(a => a.Key == key)?.Value is { } value
            ? value.ValueCase == AnyValue.ValueOneofCase.StringValue ? value.StringValue : value.ToString()
            : null;

    /// <summary>Waits a little before looking again; fails the test once its patience has run out.</summary>
    private static async Task<bool> Pause(TestServer server)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(100), server.Timeout);
        return true;
    }
}

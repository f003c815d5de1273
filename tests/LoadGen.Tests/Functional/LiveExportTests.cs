using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Runner;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Terminal;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;

namespace GrpcLoadLab.LoadGen.Tests.Functional;

/// <summary>
/// <c>loadgen run --otlp-endpoint</c>: real runs against a real in-process server, their live metrics received by a
/// real OTLP receiver (a gRPC server of OTLP's own proto), and held against the run's <c>result.json</c>. Run alone:
/// OpenTelemetry's SDK listens to meters by name, so another test's run beside it would add its calls.
/// </summary>
[Collection(RunAlone.Name)]
public sealed class LiveExportTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    private readonly string _reports = Directory.CreateTempSubdirectory("loadgen-otlp-").FullName;

    public void Dispose() => Directory.Delete(_reports, recursive: true);

    [Fact]
    public async Task The_last_export_holds_the_whole_run_its_exponential_latency_histogram_has_result_json_s_count_and_percentiles()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var server = await InProcessFleet.StartAsync();
        var scenario = Scenario(server, new ConstantRatePhase(200, TimeSpan.FromSeconds(2))) with { Call = new CallSpec { Delay = TimeSpan.FromMilliseconds(1) } };

        // An hour between exports: nothing is sent while the run goes, so what arrives is the flush at its end (and the
        // same cumulative values once more as the export stops).
        var outcome = await new LoadRun(scenario, NoProgressDisplay.Instance, otlp: new OtlpExportSettings(receiver.Endpoint, TimeSpan.FromHours(1)))
            .ExecuteAsync(CancellationToken.None);

        Assert.Null(outcome.Warning);
        var result = ResultJson.Read(outcome.ResultPath);
        Assert.NotEmpty(receiver.Received);
        var export = receiver.Received.First();
        Assert.All(receiver.Received, later => Assert.Equal(Sum(export, LiveMetrics.StartedName), Sum(later, LiveMetrics.StartedName)));
        var resource = Assert.Single(export.ResourceMetrics).Resource;
        Assert.Equal(LiveExport.ServiceName, Text(resource.Attributes, "service.name"));
        var runFolder = Path.GetFileName(Path.GetDirectoryName(outcome.ResultPath));
        Assert.Equal(runFolder, Text(resource.Attributes, LiveExport.RunIdAttribute));
        Assert.Equal(runFolder, Text(resource.Attributes, "service.instance.id"));
        Assert.Equal(scenario.Name, Text(resource.Attributes, LiveExport.ScenarioAttribute));

        var calls = result.Totals.Calls;
        Assert.True(calls.Succeeded > 0);
        Assert.Equal(calls.Started, Sum(export, LiveMetrics.StartedName));
        Assert.Equal(calls.Succeeded, Sum(export, LiveMetrics.CallsName, (LiveMetrics.OutcomeTag, LiveMetrics.Completed)));
        Assert.Equal(calls.Failed, Sum(export, LiveMetrics.CallsName, (LiveMetrics.OutcomeTag, LiveMetrics.Failed)));
        Assert.Equal(0, Sum(export, LiveMetrics.ActiveCallsName));

        var duration = MetricOf(export, LiveMetrics.DurationName)!;
        Assert.Equal("s", duration.Unit);
        Assert.Equal(AggregationTemporality.Cumulative, duration.ExponentialHistogram.AggregationTemporality);
        var point = Assert.Single(duration.ExponentialHistogram.DataPoints, p => Integer(p.Attributes, LiveMetrics.StatusTag) == 0);
        Assert.Equal(0, Integer(point.Attributes, LiveMetrics.PhaseTag));
        Assert.Equal(scenario.Phases[0].DisplayName, Text(point.Attributes, LiveMetrics.PhaseNameTag));
        Assert.Equal("lab.v1.LoadLab/Unary", Text(point.Attributes, LiveMetrics.MethodTag));
        var latency = result.Totals.Latency;
        Assert.Equal((ulong)latency.Count, point.Count);
        Assert.Equal(point.Count, point.ZeroCount + point.Positive.BucketCounts.Aggregate(0UL, (sum, count) => sum + count));
        // Open model: every call started records how late it started.
        Assert.Equal((ulong)calls.Started, Assert.Single(MetricOf(export, LiveMetrics.ScheduleLagName)!.ExponentialHistogram.DataPoints).Count);
        foreach (var (percentile, micros) in new[] { (50.0, latency.P50), (90.0, latency.P90), (99.0, latency.P99), (99.9, latency.P999) })
        {
            AssertInBucket(point, percentile, micros);
        }
    }

    [Fact]
    public async Task The_export_sends_while_the_run_goes_and_flushes_what_an_interrupted_run_measured()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var server = await InProcessFleet.StartAsync();
        var scenario = Scenario(server, new ConstantRatePhase(100, TimeSpan.FromMinutes(5)));
        using var interrupt = new CancellationTokenSource();

        var run = new LoadRun(scenario, NoProgressDisplay.Instance, otlp: new OtlpExportSettings(receiver.Endpoint, TimeSpan.FromMilliseconds(200)))
            .ExecuteAsync(interrupt.Token);
        // Live: an export with calls in it arrives while the five-minute run still goes.
        using (var patience = new CancellationTokenSource(Patience))
        {
            while (receiver.Received.IsEmpty || Sum(receiver.Received.Last(), LiveMetrics.StartedName) == 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), patience.Token);
            }
        }

        Assert.False(run.IsCompleted);
        await interrupt.CancelAsync();
        var outcome = await run;

        Assert.Equal(ExitCodes.Interrupted, outcome.ExitCode);
        var calls = ResultJson.Read(outcome.ResultPath).Totals.Calls;
        var last = receiver.Received.Last();
        Assert.Equal(calls.Started, Sum(last, LiveMetrics.StartedName));
        Assert.Equal(calls.Succeeded, Sum(last, LiveMetrics.CallsName, (LiveMetrics.OutcomeTag, LiveMetrics.Completed)));
        Assert.Equal(calls.Cancelled, Sum(last, LiveMetrics.CallsName, (LiveMetrics.OutcomeTag, LiveMetrics.Cancelled)));
        Assert.Equal(0, Sum(last, LiveMetrics.ActiveCallsName));
    }

    [Fact]
    public async Task A_collector_that_does_not_answer_costs_the_run_nothing_but_a_warning()
    {
        await using var server = await InProcessFleet.StartAsync();
        var scenario = Scenario(server, new ConstantConcurrencyPhase(2, TimeSpan.FromMilliseconds(500)));
        var nowhere = new Uri($"http://127.0.0.1:{UnusedPort()}");

        var outcome = await new LoadRun(scenario, NoProgressDisplay.Instance, otlp: new OtlpExportSettings(nowhere, TimeSpan.FromHours(1)))
            .ExecuteAsync(CancellationToken.None);

        Assert.True(ResultJson.Read(outcome.ResultPath).Totals.Calls.Succeeded > 0);
        Assert.Contains($"the OTLP collector at {nowhere} did not take the live metrics' last export", outcome.Warning, StringComparison.Ordinal);
    }

    /// <summary>
    /// The rank HdrHistogram reads <paramref name="percentile"/> at falls into one bucket of the exponential histogram:
    /// the percentile result.json gives lies within that bucket's bounds, give or take HdrHistogram's own resolution
    /// (3 significant digits: it reports the top of its ±0.1% bucket).
    /// </summary>
    private static void AssertInBucket(ExponentialHistogramDataPoint point, double percentile, long micros)
    {
        var rank = Math.Max(1, (ulong)((percentile / 100 * point.Count) + 0.5));
        var cumulative = point.ZeroCount;
        var index = -1;
        while (cumulative < rank)
        {
            cumulative += point.Positive.BucketCounts[++index];
        }

        var bucketBase = Math.Pow(2, Math.Pow(2, -point.Scale));
        var lower = Math.Pow(bucketBase, point.Positive.Offset + index);
        var upper = lower * bucketBase;
        var value = micros / 1e6;
        Assert.True(
            value > lower * (1 - 1e-9) && value <= upper * (1 + (1.0 / 1024)),
            $"p{percentile} = {value}s lies outside ({lower}, {upper}], the bucket of rank {rank} of {point.Count} (scale {point.Scale})");
    }

    private Scenario Scenario(InProcessFleet server, LoadPhase phase) => new()
    {
        Name = "otlp-export",
        Target = new TargetSpec { Address = TargetAddress.Parse(server.StaticTarget) },
        Phases = [phase],
        Report = new ReportSpec { Directory = _reports },
    };

    /// <summary>The export's metric of that name; null before anything was measured on it.</summary>
    private static Metric? MetricOf(ExportMetricsServiceRequest export, string name) =>
        export.ResourceMetrics.SelectMany(r => r.ScopeMetrics).SelectMany(s => s.Metrics).SingleOrDefault(m => m.Name == name);

    /// <summary>A sum's data points that carry <paramref name="tag"/> (any, when none is given), added up; 0 before any.</summary>
    private static long Sum(ExportMetricsServiceRequest export, string name, (string Key, string Value)? tag = null) =>
        MetricOf(export, name)?.Sum.DataPoints.Where(p => tag is not { } t || Text(p.Attributes, t.Key) == t.Value).Sum(p => p.AsInt) ?? 0;

    private static int UnusedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? Text(IEnumerable<KeyValue> attributes, string key) => attributes.SingleOrDefault(a => a.Key == key)?.Value.StringValue;

    private static long? Integer(IEnumerable<KeyValue> attributes, string key) => attributes.SingleOrDefault(a => a.Key == key)?.Value.IntValue;
}

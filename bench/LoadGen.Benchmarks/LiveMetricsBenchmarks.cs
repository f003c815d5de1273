using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Grpc.Core;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Benchmarks;

/// <summary>
/// What the live metrics add to recording one call (<see cref="RunRecorder.CallStarted"/> and
/// <see cref="RunRecorder.CallEnded"/> of an open-model call): with no meter at all (the recorder as it was before
/// them), with the meter and nobody listening (a run without <c>--otlp-endpoint</c>), and with OpenTelemetry's SDK
/// aggregating for the OTLP export (a run with it; the export itself runs on the SDK's own thread once an interval,
/// an hour here, so it is not in the timing).
/// </summary>
[MemoryDiagnoser]
public class LiveMetricsBenchmarks
{
    private const int CallsPerInvoke = 1_000;

    private RunRecorder _recorder = null!;
    private PhaseRecorder _phase = null!;
    private LiveMetrics? _live;
    private LiveExport? _export;
    private CallRecord _call;

    public enum Listening
    {
        NoMeter,
        NoListener,
        OtlpExport,
    }

    [Params(Listening.NoMeter, Listening.NoListener, Listening.OtlpExport)]
    public Listening Mode { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var scenario = new Scenario { Name = "benchmark", Phases = [new ConstantRatePhase(Rate: 1000, Duration: TimeSpan.FromHours(1))] };
        _live = Mode == Listening.NoMeter ? null : new LiveMetrics(scenario);
        // A loopback port where nothing listens: the export is built as in a run, and never sends while timed.
        _export = Mode == Listening.OtlpExport
            ? LiveExport.Start(new OtlpExportSettings(new Uri("http://127.0.0.1:9"), TimeSpan.FromHours(1)), scenario.Name, "benchmark")
            : null;
        _recorder = new RunRecorder(scenario, Stopwatch.GetTimestamp(), _live);
        _phase = _recorder.Phases[0];
        var now = Stopwatch.GetTimestamp();
        var millisecond = Stopwatch.Frequency / 1000;
        _call = new CallRecord(now, now + (millisecond / 10), 0, now + (2 * millisecond), StatusCode.OK, false, "instance-1", 16, 16, 1, 1);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _export?.Dispose();
        _live?.Dispose();
    }

    [Benchmark(OperationsPerInvoke = CallsPerInvoke)]
    public void RecordCall()
    {
        for (var n = 0; n < CallsPerInvoke; n++)
        {
            _recorder.CallStarted(_phase, _call.Scheduled, _call.Started);
            _recorder.CallEnded(_phase, _call);
        }
    }
}

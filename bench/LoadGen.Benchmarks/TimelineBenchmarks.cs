using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Benchmarks;

/// <summary>
/// What closing one second of the timeline allocates (<see cref="CloseSecond"/>: the latency and schedule-lag
/// interval histograms and the second's record), beside what one fresh interval histogram of the lab's shape costs
/// (<see cref="FreshIntervalHistogram"/>: what each of the two cost every second before they were recycled).
/// </summary>
[MemoryDiagnoser]
public class TimelineBenchmarks
{
    private static readonly GeneratorSecond Idle = new(0, 0, 0, 0);
    private static readonly Dictionary<string, EndpointSecond> NoEndpoints = [];

    private readonly HdrHistogram.Recorder _recorder = LatencyHistogram.CreateRecorder();
    private RunRecorder _run = null!;

    [GlobalSetup]
    public void Setup()
    {
        var scenario = new Scenario { Name = "benchmark", Phases = [new ConstantRatePhase(Rate: 1000, Duration: TimeSpan.FromHours(1))] };
        _run = new RunRecorder(scenario, Stopwatch.GetTimestamp());
    }

    [Benchmark]
    public TimelineSecond CloseSecond()
    {
        _run.TakeScheduleLagP99();
        return _run.CloseSecond(0, 1000, NoEndpoints, Idle);
    }

    [Benchmark]
    public HdrHistogram.HistogramBase FreshIntervalHistogram() => _recorder.GetIntervalHistogram();
}

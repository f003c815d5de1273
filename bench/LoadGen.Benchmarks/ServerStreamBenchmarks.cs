using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Calls;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Benchmarks;

/// <summary>
/// One server stream of <see cref="Replies"/> replies, read bare and through loadgen's driver and recorders, on a
/// client whose invoker answers at once (<see cref="AnsweringInvoker{TReply}"/>). Allocated bytes of
/// <see cref="LoadGenStream"/> minus <see cref="BareStream"/> are loadgen's own per stream; that they do not grow with
/// the replies says a message costs loadgen nothing.
/// </summary>
[MemoryDiagnoser]
public class ServerStreamBenchmarks
{
    /// <summary>Calls one after the other per invocation, so that per-call bytes are not blurred by the harness's own.</summary>
    private const int CallsPerInvoke = 100;

    private static readonly WorkRequest Request = new() { ReplySize = 16 };

    private LoadLab.LoadLabClient _client = null!;
    private CallDriver _driver = null!;
    private PhaseRecorder _phase = null!;

    [Params(1, 100)]
    public int Replies { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _client = new LoadLab.LoadLabClient(new AnsweringInvoker<WorkReply>(new WorkReply { InstanceId = "instance-1" }, Replies));
        var scenario = new Scenario
        {
            Name = "benchmark",
            Call = new CallSpec { Kind = CallKind.ServerStream, ReplySize = 16, Replies = Replies },
            Phases = [new ConstantConcurrencyPhase(Concurrency: 1, Duration: TimeSpan.FromHours(1))],
        };
        var recorder = new RunRecorder(scenario, Stopwatch.GetTimestamp());
        _phase = recorder.Phases[0];
        _driver = CallDriver.Create(_client, scenario.Call, recorder, CancellationToken.None);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = CallsPerInvoke)]
    public async Task<int> BareStream()
    {
        var received = 0;
        for (var n = 0; n < CallsPerInvoke; n++)
        {
            received += await BareCallAsync();
        }

        return received;
    }

    [Benchmark(OperationsPerInvoke = CallsPerInvoke)]
    public async Task LoadGenStream()
    {
        for (var n = 0; n < CallsPerInvoke; n++)
        {
            await _driver.RunAsync(_phase, Stopwatch.GetTimestamp(), worker: 0);
        }
    }

    private async Task<int> BareCallAsync()
    {
        using var call = _client.ServerStream(Request);
        var received = 0;
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            received++;
        }

        return received;
    }
}

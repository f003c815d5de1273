using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Grpc.Core;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Calls;
using GrpcLoadLab.LoadGen.Load;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Benchmarks;

/// <summary>
/// One unary call, bare and through loadgen's driver and recorders, on a client whose invoker answers at once (see
/// <see cref="AnsweringInvoker{TReply}"/>). Allocated bytes of <see cref="LoadGenCall"/> minus <see cref="BareCall"/>
/// are loadgen's own per call, beyond the channel's; the real channel's own (about 7–8 KB a call) comes on top of both.
/// <see cref="OpenDispatchCall"/> starts each call as the open model's dispatcher does (a slot, the task that frees it).
/// </summary>
[MemoryDiagnoser]
public class UnaryCallBenchmarks : IDisposable
{
    /// <summary>Calls one after the other per invocation, so that per-call bytes are not blurred by the harness's own.</summary>
    private const int CallsPerInvoke = 1_000;

    private static readonly WorkRequest Request = new() { ReplySize = 16 };
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly LoadLab.LoadLabClient _client = new(new AnsweringInvoker<WorkReply>(new WorkReply { InstanceId = "instance-1" }, repliesPerStream: 0));
    private readonly SemaphoreSlim _slots = new(1);
    private CallDriver _driver = null!;
    private RunRecorder _recorder = null!;
    private PhaseRecorder _phase = null!;

    /// <summary>Open model: the due time differs from the start, so schedule lag and service time are recorded too.</summary>
    [Params(false, true)]
    public bool OpenModel { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        LoadPhase phase = OpenModel
            ? new ConstantRatePhase(Rate: 1000, Duration: TimeSpan.FromHours(1))
            : new ConstantConcurrencyPhase(Concurrency: 1, Duration: TimeSpan.FromHours(1));
        var scenario = new Scenario { Name = "benchmark", Call = new CallSpec { ReplySize = 16 }, Phases = [phase] };
        _recorder = new RunRecorder(scenario, Stopwatch.GetTimestamp());
        _phase = _recorder.Phases[0];
        _driver = CallDriver.Create(_client, scenario.Call, _recorder, CancellationToken.None);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = CallsPerInvoke)]
    public async Task BareCall()
    {
        for (var n = 0; n < CallsPerInvoke; n++)
        {
            await _client.UnaryAsync(Request, new CallOptions(deadline: DateTime.UtcNow + Deadline, cancellationToken: CancellationToken.None));
        }
    }

    [Benchmark(OperationsPerInvoke = CallsPerInvoke)]
    public async Task LoadGenCall()
    {
        for (var n = 0; n < CallsPerInvoke; n++)
        {
            await _driver.RunAsync(_phase, Stopwatch.GetTimestamp(), worker: 0);
        }
    }

    [Benchmark(OperationsPerInvoke = CallsPerInvoke)]
    public async Task OpenDispatchCall()
    {
        for (var n = 0; n < CallsPerInvoke; n++)
        {
            _slots.Wait();
            await OpenLoop.RunAndFreeSlotAsync(_driver, _phase, Stopwatch.GetTimestamp(), _slots, _recorder);
        }
    }

    public void Dispose()
    {
        _slots.Dispose();
        GC.SuppressFinalize(this);
    }
}

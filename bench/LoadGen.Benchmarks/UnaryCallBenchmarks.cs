using System.Diagnostics;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Grpc.Core;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Calls;
using GrpcLoadLab.LoadGen.CodeScenarios;
using GrpcLoadLab.LoadGen.Load;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Benchmarks;

/// <summary>
/// One unary call, bare, through loadgen's typed driver and recorders, and as a C# scenario's step, on a client whose
/// invoker answers at once (see <see cref="AnsweringInvoker{TReply}"/>). Allocated bytes of <see cref="LoadGenCall"/>
/// minus <see cref="BareCall"/> are loadgen's own per call, beyond the channel's; <see cref="StepCall"/> minus
/// <see cref="LoadGenCall"/> is what the step adds (issue 18), with its own state pooled as the typed driver's is;
/// <see cref="PlainAsyncStepCall"/> is the same step as a plain async method. The real channel's own (about 7–8 KB a
/// call) comes on top of all of them. <see cref="OpenDispatchCall"/> starts each call as the open model's dispatcher
/// does (a slot, the task that frees it).
/// </summary>
[MemoryDiagnoser]
public class UnaryCallBenchmarks : IDisposable
{
    /// <summary>Calls one after the other per invocation, so that per-call bytes are not blurred by the harness's own.</summary>
    private const int CallsPerInvoke = 1_000;

    private static readonly WorkRequest Request = new() { ReplySize = 16 };
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static readonly AnsweringInvoker<WorkReply> Invoker = new(new WorkReply { InstanceId = "instance-1" }, repliesPerStream: 0);

    private readonly LoadLab.LoadLabClient _client = new(Invoker);
    private readonly SemaphoreSlim _slots = new(1);
    private CallDriver _driver = null!;
    private CallDriver _stepDriver = null!;
    private CallDriver _plainStepDriver = null!;
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
        _stepDriver = new StepDriver(PooledUnaryStep, Invoker, scenario.Call, _recorder, CancellationToken.None);
        _plainStepDriver = new StepDriver(PlainUnaryStep, Invoker, scenario.Call, _recorder, CancellationToken.None);
    }

    /// <summary>The typed driver's call written as a step, as bench/StepLoop writes it: its state reused, as the typed driver's.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<StepResult> PooledUnaryStep(StepContext context) => Replied(await Call(context));

    /// <summary>The same step as a plain async method: its state is a new box per call that awaits.</summary>
    private static async ValueTask<StepResult> PlainUnaryStep(StepContext context) => Replied(await Call(context));

    private static AsyncUnaryCall<WorkReply> Call(StepContext context) =>
        context.Client<LoadLab.LoadLabClient>().UnaryAsync(Request, context.CallOptions);

    private static StepResult Replied(WorkReply reply) => StepResult.Ok(Request.CalculateSize(), reply.CalculateSize(), reply.InstanceId);

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
    public async Task StepCall()
    {
        for (var n = 0; n < CallsPerInvoke; n++)
        {
            await _stepDriver.RunAsync(_phase, Stopwatch.GetTimestamp(), worker: 0);
        }
    }

    [Benchmark(OperationsPerInvoke = CallsPerInvoke)]
    public async Task PlainAsyncStepCall()
    {
        for (var n = 0; n < CallsPerInvoke; n++)
        {
            await _plainStepDriver.RunAsync(_phase, Stopwatch.GetTimestamp(), worker: 0);
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

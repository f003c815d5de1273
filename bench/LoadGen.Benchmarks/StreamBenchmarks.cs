using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Calls;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Benchmarks;

/// <summary>
/// What the stream benchmarks share: a client whose invoker answers at once (<see cref="AnsweringInvoker{TReply}"/>),
/// <see cref="Messages"/> replies a stream, and calls of one kind made one after the other, bare
/// (<see cref="BareCallAsync"/>) and through loadgen's driver and recorders. Allocated bytes of <see cref="LoadGen"/>
/// minus <see cref="Bare"/> are loadgen's own per call; that they do not grow with the messages says a message costs
/// loadgen nothing.
/// </summary>
[MemoryDiagnoser]
public abstract class StreamBenchmarks(CallKind kind)
{
    /// <summary>Calls one after the other per invocation, so that per-call bytes are not blurred by the harness's own.</summary>
    private const int CallsPerInvoke = 100;

    private CallDriver _driver = null!;
    private PhaseRecorder _phase = null!;

    /// <summary>Messages a call: the replies of a server stream, the messages (and echoes) of a bidi call.</summary>
    [Params(1, 100)]
    public int Messages { get; set; }

    protected LoadLab.LoadLabClient Client { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        Client = new LoadLab.LoadLabClient(new AnsweringInvoker<WorkReply>(new WorkReply { InstanceId = "instance-1" }, Messages));
        (_driver, _phase) = OneCallerDriver.Create(Client, new CallSpec { Kind = kind, ReplySize = 16, Replies = Messages, Messages = Messages });
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = CallsPerInvoke)]
    public async Task<int> Bare()
    {
        var received = 0;
        for (var n = 0; n < CallsPerInvoke; n++)
        {
            received += await BareCallAsync();
        }

        return received;
    }

    [Benchmark(OperationsPerInvoke = CallsPerInvoke)]
    public async Task LoadGen()
    {
        for (var n = 0; n < CallsPerInvoke; n++)
        {
            await _driver.RunAsync(_phase, Stopwatch.GetTimestamp(), worker: 0);
        }
    }

    /// <summary>One call as a hand-written client makes it; the replies it read.</summary>
    protected abstract Task<int> BareCallAsync();
}

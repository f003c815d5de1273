using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Calls;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Benchmarks;

/// <summary>
/// One bidi call of <see cref="Messages"/> messages, each written and its echo read: bare and through loadgen's
/// driver and recorders (each write through <c>TryWriteAsync</c>, each echo timed), on a client whose invoker takes
/// and answers at once (<see cref="AnsweringInvoker{TReply}"/>). Allocated bytes of <see cref="LoadGenBidi"/> minus
/// <see cref="BareBidi"/> are loadgen's own per call; that they do not grow with the messages says a message costs
/// loadgen nothing.
/// </summary>
[MemoryDiagnoser]
public class BidiBenchmarks
{
    /// <summary>Calls one after the other per invocation, so that per-call bytes are not blurred by the harness's own.</summary>
    private const int CallsPerInvoke = 100;

    private LoadLab.LoadLabClient _client = null!;
    private CallDriver _driver = null!;
    private PhaseRecorder _phase = null!;
    private WorkRequest _request = null!;

    [Params(1, 100)]
    public int Messages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _client = new LoadLab.LoadLabClient(new AnsweringInvoker<WorkReply>(new WorkReply { InstanceId = "instance-1" }, Messages));
        var scenario = new Scenario
        {
            Name = "benchmark",
            Call = new CallSpec { Kind = CallKind.Bidi, ReplySize = 16, Messages = Messages },
            Phases = [new ConstantConcurrencyPhase(Concurrency: 1, Duration: TimeSpan.FromHours(1))],
        };
        var recorder = new RunRecorder(scenario, Stopwatch.GetTimestamp());
        _phase = recorder.Phases[0];
        _driver = CallDriver.Create(_client, scenario.Call, recorder, CancellationToken.None);
        _request = new WorkRequest { ReplySize = 16 };
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = CallsPerInvoke)]
    public async Task<int> BareBidi()
    {
        var echoes = 0;
        for (var n = 0; n < CallsPerInvoke; n++)
        {
            echoes += await BareCallAsync();
        }

        return echoes;
    }

    [Benchmark(OperationsPerInvoke = CallsPerInvoke)]
    public async Task LoadGenBidi()
    {
        for (var n = 0; n < CallsPerInvoke; n++)
        {
            await _driver.RunAsync(_phase, Stopwatch.GetTimestamp(), worker: 0);
        }
    }

    /// <summary>The ping-pong a hand-written client does: one request renumbered per message, as loadgen's.</summary>
    private async Task<int> BareCallAsync()
    {
        using var call = _client.Bidi();
        var echoes = 0;
        for (var sequence = 0; sequence < Messages; sequence++)
        {
            _request.Sequence = sequence;
            await call.RequestStream.WriteAsync(_request);
            if (!await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                break;
            }

            echoes++;
        }

        await call.RequestStream.CompleteAsync();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            echoes++;
        }

        return echoes;
    }
}

using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Calls;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Benchmarks;

/// <summary>
/// A ping-pong bidi call with a <c>messageInterval</c>: what loadgen's pause between two messages costs beyond the
/// pause a hand-written client takes (<c>Task.Delay</c>). Loadgen reads on through each pause, so that a call the
/// server ends meanwhile ends then (<see cref="CallDriver"/>'s <c>EndsBeforeAsync</c>, <see cref="MessagePauses"/>):
/// its bytes minus the bare call's, over the difference in pauses between the two <see cref="Pauses"/> cases, are its
/// own per pause; at no pauses' count, its own per call. Allocations only: the times are the 1 ms pauses'.
/// </summary>
[MemoryDiagnoser]
public class PausedBidiBenchmarks
{
    /// <summary>Calls one after the other per invocation, as in <see cref="StreamBenchmarks"/>.</summary>
    private const int CallsPerInvoke = 10;

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(1);

    private readonly WorkRequest _request = new() { ReplySize = 16 };
    private LoadLab.LoadLabClient _client = null!;
    private CallDriver _driver = null!;
    private PhaseRecorder _phase = null!;

    /// <summary>Pauses a call: one fewer than its messages.</summary>
    [Params(1, 10)]
    public int Pauses { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _client = new LoadLab.LoadLabClient(new EchoingInvoker<WorkReply>(new WorkReply { InstanceId = "instance-1" }));
        (_driver, _phase) = OneCallerDriver.Create(_client, new CallSpec { Kind = CallKind.Bidi, ReplySize = 16, Messages = Pauses + 1, MessageInterval = Interval });
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = CallsPerInvoke)]
    public async Task<int> Bare()
    {
        var echoes = 0;
        for (var n = 0; n < CallsPerInvoke; n++)
        {
            using var call = _client.Bidi();
            for (var sequence = 0; sequence <= Pauses; sequence++)
            {
                if (sequence > 0)
                {
                    await Task.Delay(Interval);
                }

                _request.Sequence = sequence;
                await call.RequestStream.WriteAsync(_request);
                if (await call.ResponseStream.MoveNext(CancellationToken.None))
                {
                    echoes++;
                }
            }

            await call.RequestStream.CompleteAsync();
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                echoes++;
            }
        }

        return echoes;
    }

    [Benchmark(OperationsPerInvoke = CallsPerInvoke)]
    public async Task LoadGen()
    {
        for (var n = 0; n < CallsPerInvoke; n++)
        {
            await _driver.RunAsync(_phase, Stopwatch.GetTimestamp(), worker: 0);
        }
    }
}

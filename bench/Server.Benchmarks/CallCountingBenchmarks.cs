using BenchmarkDotNet.Attributes;
using Grpc.Core;
using GrpcLoadLab.Server.Hosting;
using GrpcLoadLab.Server.Metrics;
using GrpcLoadLab.Server.Metrics.Timeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcLoadLab.Server.Benchmarks;

/// <summary>
/// What counting one unary call costs the server (<see cref="InstanceCounters.CallStarted"/> and
/// <see cref="InstanceCounters.CallEnded"/>, as every call's scope does): GetStats' counters, the lab's meter and the
/// instance's timeline, which listens always, watched or not. The instance is built as the server builds it and never
/// started; its timeline is listening. <see cref="Threads"/> threads share the calls and count them at once, as calls
/// end on every core.
/// Only public types the server has had since its timeline appeared are used, so that the same file measures an
/// earlier commit.
/// </summary>
[MemoryDiagnoser]
public class CallCountingBenchmarks
{
    private const int Calls = 1_000;

    private WebApplication _app = null!;
    private InstanceCounters _counters = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _app = LabServerHost.Build(new ServerOptions { Port = 0 });
        // Its construction starts the timeline's listening, as the host's start would.
        _app.Services.GetRequiredService<ServerTimeline>();
        _counters = _app.Services.GetRequiredService<InstanceCounters>();
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _app.DisposeAsync();

    [Benchmark(OperationsPerInvoke = Calls)]
    public void CountUnaryCalls()
    {
        if (Threads == 1)
        {
            CountCalls(Calls);
        }
        else
        {
            Parallel.For(0, Threads, _ => CountCalls(Calls / Threads));
        }
    }

    private void CountCalls(int calls)
    {
        for (var call = 0; call < calls; call++)
        {
            var started = _counters.CallStarted(CallKind.Unary);
            _counters.CallEnded(CallKind.Unary, CallOutcome.Completed, StatusCode.OK, started);
        }
    }
}

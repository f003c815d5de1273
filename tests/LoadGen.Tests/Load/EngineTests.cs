using System.Diagnostics;
using Grpc.Core;
using GrpcLoadLab.LoadGen.Load;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;
using HdrHistogram;

namespace GrpcLoadLab.LoadGen.Tests.Load;

public class EngineTests
{
    [Fact]
    public async Task A_constant_rate_phase_starts_every_call_and_none_before_its_time()
    {
        var scenario = Scenario([new ConstantRatePhase(Rate: 200, Duration: TimeSpan.FromSeconds(2))]);
        var recorder = new RunRecorder(scenario, Stopwatch.GetTimestamp());
        var driver = new RecordingDriver(recorder, (_, _) => Task.CompletedTask, CancellationToken.None);

        await new LoadEngine(scenario, driver, recorder).RunAsync(CancellationToken.None);

        var phase = recorder.Phases[0];
        // In time order: a call may take its start time and then lose the processor to the next one before it is
        // queued. If each call started no sooner than its own due time, the n-th start is no sooner than the n-th due.
        var starts = driver.Starts.Order().ToArray();
        Assert.Equal(400, starts.Length);
        for (var n = 0; n < starts.Length; n++)
        {
            Assert.True(starts[n] >= phase.Begin + Ticks.FromSeconds(n / 200.0), $"call {n} started before it was due");
        }

        Assert.Equal(400, phase.ScheduleLag.TotalCount);
        Assert.Equal(400, phase.Counts.Succeeded);
    }

    [Fact]
    public async Task Open_model_calls_start_on_the_dispatcher_thread_not_on_a_thread_pool_worker()
    {
        // A call handed to the thread pool starts when a pool thread wakes up, which after an idle gap can be
        // milliseconds late; the dispatcher, awake on time, starts each call itself up to its first await.
        var scenario = Scenario([new ConstantRatePhase(Rate: 20, Duration: TimeSpan.FromSeconds(0.5))]);
        var recorder = new RunRecorder(scenario, Stopwatch.GetTimestamp());
        var driver = new RecordingDriver(recorder, (_, token) => Task.Delay(1, token), CancellationToken.None);

        await new LoadEngine(scenario, driver, recorder).RunAsync(CancellationToken.None);

        var threads = driver.StartThreads.ToArray();
        Assert.Equal(10, threads.Length);
        Assert.All(threads, thread => Assert.False(thread.ThreadPool, "a call started on a thread-pool thread"));
        Assert.Single(threads.Select(thread => thread.Id).Distinct());
        Assert.Equal(10, recorder.Phases[0].Counts.Succeeded);
    }

    [Fact]
    public async Task Every_started_call_ends_exactly_one_way()
    {
        // Calls succeed, fail with a status, or (after the 300th) hang until the run is cancelled. The phase is far
        // longer than the test: it ends when the test stops it, once every kind of end has happened, however slow
        // the machine.
        using var stop = new CancellationTokenSource();
        using var abort = new CancellationTokenSource();
        var scenario = Scenario([new ConstantConcurrencyPhase(Concurrency: 8, Duration: TimeSpan.FromMinutes(10))]);
        var recorder = new RunRecorder(scenario, Stopwatch.GetTimestamp());
        var driver = new RecordingDriver(recorder, async (n, token) =>
        {
            switch (n % 3)
            {
                case 0:
                    throw new RpcException(new Status(StatusCode.Unavailable, "scripted failure"));
                case 1:
                    await Task.Delay(1, token);
                    break;
                default:
                    if (n > 300)
                    {
                        await Task.Delay(Timeout.Infinite, token);
                    }

                    break;
            }
        }, abort.Token);

        var run = new LoadEngine(scenario, driver, recorder).RunAsync(stop.Token);
        await WaitUntilAsync(() => recorder.InFlight >= 8 && driver.Starts.Count > 300);
        await stop.CancelAsync();
        await abort.CancelAsync();
        await run;

        var counts = recorder.Phases[0].Counts;
        Assert.True(counts.AddsUp, $"started {counts.Started} != {counts.Succeeded} + {counts.Failed} + {counts.Cancelled}");
        Assert.True(counts.Succeeded > 0 && counts.Failed > 0 && counts.Cancelled > 0, counts.ToString());
        Assert.Equal(0, recorder.InFlight);
    }

    [Theory]
    [InlineData("open")]
    [InlineData("closed")]
    public async Task An_exception_that_is_not_the_calls_own_is_counted_as_a_failure_and_named(string model)
    {
        LoadPhase phase = model == "open" ? new ConstantRatePhase(Rate: 100, Duration: TimeSpan.FromSeconds(0.2)) : new IterationsPhase(Concurrency: 2, Iterations: 20);
        var scenario = Scenario([phase]);
        var recorder = new RunRecorder(scenario, Stopwatch.GetTimestamp());
        // Every other call throws what no gRPC call throws: the generator's own defect.
        var driver = new RecordingDriver(recorder, (n, _) => n % 2 == 0 ? throw new FormatException("scripted defect") : Task.CompletedTask, CancellationToken.None);

        await new LoadEngine(scenario, driver, recorder).RunAsync(CancellationToken.None);

        var counts = recorder.Phases[0].Counts;
        Assert.True(counts.AddsUp, counts.ToString());
        Assert.Equal(counts.Started / 2, counts.Failed);
        Assert.Equal(counts.Failed, recorder.GeneratorErrors);
        Assert.Equal("FormatException: scripted defect", recorder.FirstGeneratorError);
        Assert.Equal(0, recorder.InFlight);
    }

    [Fact]
    public async Task A_call_due_while_the_outstanding_bound_is_full_waits_and_starts_late()
    {
        // One call may be in flight; each takes 50 ms while calls are due every 10 ms.
        var scenario = Scenario([new ConstantRatePhase(Rate: 100, Duration: TimeSpan.FromSeconds(0.5))]) with { MaxOutstanding = 1 };
        var recorder = new RunRecorder(scenario, Stopwatch.GetTimestamp());
        var driver = new RecordingDriver(recorder, (_, token) => Task.Delay(50, token), CancellationToken.None);

        await new LoadEngine(scenario, driver, recorder).RunAsync(CancellationToken.None);

        var counts = recorder.Phases[0].Counts;
        Assert.Equal(50, counts.Started + counts.Dropped);
        Assert.True(counts.Late > counts.Started / 2, counts.ToString());
        // Latency counts from the due time, so it holds the wait that service time does not.
        Assert.True(recorder.Phases[0].Latency.GetMaxValue() > recorder.Phases[0].ServiceTime.GetMaxValue());
    }

    private static Scenario Scenario(IReadOnlyList<LoadPhase> phases) => new()
    {
        Name = "engine-test",
        Target = new TargetSpec(),
        Call = new CallSpec { Deadline = TimeSpan.FromSeconds(30) },
        Phases = phases,
    };

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!condition())
        {
            await Task.Delay(10, limit.Token);
        }
    }
}

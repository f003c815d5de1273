using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.CodeScenarios;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Tests.CodeScenarios;

/// <summary>
/// The step driver reuses its step contexts: a context must belong to one step in flight at a time, and carry nothing
/// of the step it served before (its call options, due time, number, deadline timer).
/// </summary>
public sealed class StepDriverTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    // Never called: the steps here make no call.
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress("http://127.0.0.1:9");

    public void Dispose() => _channel.Dispose();

    [Fact]
    public async Task Open_model_steps_in_flight_at_once_each_have_their_own_context_and_later_steps_reuse_them()
    {
        const int InFlight = 40;
        var inFlight = new ConcurrentDictionary<StepContext, long>();
        var seen = new ConcurrentDictionary<StepContext, bool>();
        var arrived = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var shared = 0;

        async ValueTask<StepResult> Step(StepContext context)
        {
            if (!inFlight.TryAdd(context, context.Invocation))
            {
                Interlocked.Increment(ref shared);
            }

            seen.TryAdd(context, true);
            if (Interlocked.Increment(ref arrived) % InFlight == 0)
            {
                release.SetResult();
            }

            await release.Task;
            var invocation = context.Invocation;
            inFlight.TryRemove(context, out _);
            return invocation > 0 ? StepResult.Ok() : StepResult.Fail(StatusCode.Internal);
        }

        var (phase, driver) = Start(new ConstantRatePhase(100, TimeSpan.FromHours(1)), TimeSpan.FromSeconds(10), Step);

        // Each step due 1 ms after the last, all in flight at once until the last one arrives.
        var first = Stopwatch.GetTimestamp();
        var calls = Enumerable.Range(0, InFlight).Select(n => driver.RunAsync(phase, first + (n * Stopwatch.Frequency / 1000), worker: 0).AsTask()).ToList();
        await Task.WhenAll(calls).WaitAsync(Bound);
        Assert.Equal(0, shared);
        Assert.Equal(InFlight, seen.Count);

        // A second wave finds the first wave's contexts idle: no new one.
        release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await Task.WhenAll(Enumerable.Range(0, InFlight).Select(_ => driver.RunAsync(phase, Stopwatch.GetTimestamp(), worker: 0).AsTask())).WaitAsync(Bound);
        Assert.Equal(0, shared);
        Assert.Equal(InFlight, seen.Count);
        Assert.Equal((2L * InFlight, 2L * InFlight), (phase.Counts.Started, phase.Counts.Succeeded));
    }

    [Fact]
    public async Task A_reused_context_says_its_own_steps_due_time_number_and_call_options()
    {
        var steps = new List<(StepContext Context, long Invocation, TimeSpan Due, DateTime? Deadline)>();
        var dues = new[] { Stopwatch.Frequency / 300, Stopwatch.Frequency / 25 };
        var (phase, driver) = Start(new ConstantConcurrencyPhase(1, TimeSpan.FromHours(1)), TimeSpan.FromSeconds(10), context =>
        {
            steps.Add((context, context.Invocation, context.Due, context.CallOptions.Deadline));
            return ValueTask.FromResult(StepResult.Ok());
        });

        foreach (var due in dues)
        {
            await driver.RunAsync(phase, phase.Begin + due, worker: 0);
            await Task.Delay(20);
        }

        Assert.Same(steps[0].Context, steps[1].Context);
        Assert.Equal([1L, 2L], steps.Select(step => step.Invocation));
        Assert.Equal(dues.Select(due => Stopwatch.GetElapsedTime(0, due)), steps.Select(step => step.Due));
        Assert.True(steps[1].Deadline > steps[0].Deadline, "the second step got the first one's deadline");
    }

    [Fact]
    public async Task A_step_after_one_that_ran_past_its_deadline_gets_a_fresh_cancellation_token()
    {
        var tokens = new List<bool>();
        var (phase, driver) = Start(new ConstantConcurrencyPhase(1, TimeSpan.FromHours(1)), TimeSpan.FromMilliseconds(100), async context =>
        {
            var token = context.CancellationToken;
            tokens.Add(token.IsCancellationRequested);
            if (context.Invocation == 1)
            {
                await Task.Delay(Bound, token);
            }

            return StepResult.Ok();
        });

        await driver.RunAsync(phase, Stopwatch.GetTimestamp(), worker: 0).AsTask().WaitAsync(Bound);
        await driver.RunAsync(phase, Stopwatch.GetTimestamp(), worker: 0).AsTask().WaitAsync(Bound);

        Assert.Equal([false, false], tokens);
        Assert.Equal((2L, 1L, 1L), (phase.Counts.Started, phase.Counts.Succeeded, phase.Counts.Failed));
    }

    [Fact]
    public async Task A_step_gets_one_client_per_type_for_the_whole_run()
    {
        var clients = new List<object>();
        var (phase, driver) = Start(new ConstantConcurrencyPhase(2, TimeSpan.FromHours(1)), TimeSpan.FromSeconds(10), context =>
        {
            clients.Add(context.Client<LoadLab.LoadLabClient>());
            clients.Add(context.Client<Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient>());
            clients.Add(context.Client<LoadLab.LoadLabClient>());
            return ValueTask.FromResult(StepResult.Ok());
        });

        await driver.RunAsync(phase, Stopwatch.GetTimestamp(), worker: 0);
        await driver.RunAsync(phase, Stopwatch.GetTimestamp(), worker: 1);

        Assert.Equal(6, clients.Count);
        Assert.Equal(2, clients.Distinct().Count());
        Assert.All(clients.Where((_, i) => i % 3 != 1), client => Assert.Same(clients[0], client));
    }

    private (PhaseRecorder Phase, StepDriver Driver) Start(LoadPhase load, TimeSpan deadline, ScenarioStep step)
    {
        var scenario = new Scenario { Name = "steps", Call = new CallSpec { Deadline = deadline }, Phases = [load] };
        var recorder = new RunRecorder(scenario, Stopwatch.GetTimestamp());
        var phase = recorder.Phases[0];
        phase.Begin = Stopwatch.GetTimestamp();
        return (phase, new StepDriver(step, _channel.CreateCallInvoker(), scenario.Call, recorder, CancellationToken.None));
    }
}

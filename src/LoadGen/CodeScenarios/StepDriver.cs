using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Grpc.Core;
using GrpcLoadLab.LoadGen.Calls;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.CodeScenarios;

/// <summary>
/// Makes each call of a run by running a C# scenario's <see cref="ScenarioStep"/>: the base class times it from its due time,
/// holds it to its deadline and accounts for it, as for every other call kind. What the step reports, or throws,
/// becomes the call's status and sizes.
/// </summary>
/// <remarks>
/// It adds no allocation of its own per step (bench/LoadGen.Benchmarks' StepCall keeps this visible): step contexts are
/// reused, and the client of the last type asked for is kept at hand.
/// </remarks>
internal sealed class StepDriver : CallDriver
{
    private readonly ScenarioStep _step;
    private readonly ConcurrentDictionary<Type, object> _clients = new();

    /// <summary>
    /// Each closed-model caller's idle context: a caller makes one step at a time, so its context is always free when
    /// it starts the next. Open-model steps (all "caller 0") overlap: those that find the slot taken use <see cref="_idle"/>,
    /// which ends up holding as many contexts as steps were ever in flight at once.
    /// </summary>
    private readonly StepContext?[] _byCaller;
    private readonly ConcurrentQueue<StepContext> _idle = new();
    private object? _lastClient;
    private long _invocations;

    public StepDriver(ScenarioStep step, CallInvoker invoker, CallSpec spec, RunRecorder recorder, CancellationToken runAborted)
        : base(spec, recorder, runAborted)
    {
        _step = step;
        Invoker = invoker;
        SubSteps = recorder.SubSteps;
        _byCaller = new StepContext?[recorder.Phases.Max(phase => phase.Phase is ClosedPhase closed ? closed.Callers : 1)];
    }

    public CallInvoker Invoker { get; }

    public SubStepRecorder SubSteps { get; }

    /// <summary>One client of each type per run: a generated client holds nothing but the invoker.</summary>
    public TClient Client<TClient>()
        where TClient : ClientBase<TClient>
    {
        if (Volatile.Read(ref _lastClient) is TClient last)
        {
            return last;
        }

        var client = (TClient)_clients.GetOrAdd(typeof(TClient), static (type, invoker) => Activator.CreateInstance(type, invoker)!, Invoker);
        Volatile.Write(ref _lastClient, client);
        return client;
    }

    /// <remarks>
    /// What the step throws is its failure, said as a gRPC status, so that the base class counts it as the call's and
    /// never as the generator's own.
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    protected override async ValueTask ExecuteAsync(PhaseRecorder phase, long scheduled, CallProgress progress, CallOptions options)
    {
        var context = Rent(progress.Worker);
        context.Begin(phase, scheduled, options, Interlocked.Increment(ref _invocations));
        StepResult result;
        var abandoned = false;
        try
        {
            var step = _step(context);
            result = step.IsCompleted ? step.Result : await Bounded(step, options);
        }
        catch (StepAbandonedException)
        {
            // The step is left running: its context stays its own and is never handed to a later step.
            abandoned = true;
            throw options.CancellationToken.IsCancellationRequested
                ? new OperationCanceledException(options.CancellationToken)
                : new RpcException(new Status(StatusCode.DeadlineExceeded, "the step ran past its deadline and did not end: it was left running"));
        }
        catch (Exception e) when (e is not (RpcException or OutOfMemoryException) && !CancelledByRun(e, options))
        {
            throw Failure(e, context);
        }
        finally
        {
            if (!abandoned)
            {
                context.End();
                Return(context, progress.Worker);
            }
        }

        if (result.BytesSent > 0)
        {
            Sent(progress, result.BytesSent);
        }

        if (result.BytesReceived > 0 || result.Instance is not null)
        {
            Received(progress, result.BytesReceived, result.Instance);
        }

        if (result.Status != StatusCode.OK)
        {
            throw new RpcException(new Status(result.Status, result.Message ?? string.Empty));
        }
    }

    /// <summary>
    /// A step that has not ended at once is awaited until its deadline or the run's interruption, never longer: a step
    /// that ignores its cancellation token would otherwise hold its caller, and so the run, for ever.
    /// </summary>
    private static async ValueTask<StepResult> Bounded(ValueTask<StepResult> step, CallOptions options)
    {
        var pending = step.AsTask();
        try
        {
            return await pending.WaitAsync(TimeLeft(options), options.CancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            if (pending.IsCompleted)
            {
                // It ended on its own meanwhile (an OperationCanceledException of its token included): its own outcome.
                return await pending;
            }

            // Nobody awaits it any more: observe its end, so that a later fault is not an unobserved one.
            _ = pending.ContinueWith(static task => task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw new StepAbandonedException();
        }
    }

    /// <summary>Until the call's deadline; a deadline beyond a timer's reach (about 24 days) is none.</summary>
    private static TimeSpan TimeLeft(CallOptions options) =>
        options.Deadline is not { } deadline ? Timeout.InfiniteTimeSpan
        : (deadline - DateTime.UtcNow) switch
        {
            var left when left <= TimeSpan.Zero => TimeSpan.Zero,
            var left when left.TotalMilliseconds >= int.MaxValue => Timeout.InfiniteTimeSpan,
            var left => left,
        };

    /// <summary>The run was interrupted: the base class counts the call as cancelled by the run.</summary>
    private static bool CancelledByRun(Exception e, CallOptions options) =>
        e is OperationCanceledException && options.CancellationToken.IsCancellationRequested;

    private static RpcException Failure(Exception e, StepContext context) => e switch
    {
        OperationCanceledException when context.DeadlinePassed => new RpcException(new Status(StatusCode.DeadlineExceeded, "the step ran past its deadline")),
        FeederExhaustedException => new RpcException(new Status(StatusCode.OutOfRange, e.Message)),
        _ => new RpcException(new Status(StatusCode.Unknown, $"{e.GetType().Name}: {e.Message}")),
    };

    private StepContext Rent(int caller) =>
        Interlocked.Exchange(ref _byCaller[caller], null)
        ?? (_idle.TryDequeue(out var idle) ? idle : new StepContext(this));

    private void Return(StepContext context, int caller)
    {
        if (Interlocked.CompareExchange(ref _byCaller[caller], context, null) is not null)
        {
            _idle.Enqueue(context);
        }
    }

    /// <summary>A step still running at its deadline or at the run's interruption, which the driver stops waiting for.</summary>
    private sealed class StepAbandonedException : Exception;
}

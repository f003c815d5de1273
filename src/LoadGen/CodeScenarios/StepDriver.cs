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
internal sealed class StepDriver(ScenarioStep step, CallInvoker invoker, CallSpec spec, RunRecorder recorder, CancellationToken runAborted)
    : CallDriver(spec, recorder, runAborted)
{
    private readonly ConcurrentDictionary<Type, object> _clients = new();
    private long _invocations;

    public CallInvoker Invoker => invoker;

    public SubStepRecorder SubSteps { get; } = recorder.SubSteps;

    /// <summary>One client of each type per run: a generated client holds nothing but the invoker.</summary>
    public TClient Client<TClient>()
        where TClient : ClientBase<TClient> =>
        (TClient)_clients.GetOrAdd(typeof(TClient), static (type, invoker) => Activator.CreateInstance(type, invoker)!, invoker);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    protected override async ValueTask ExecuteAsync(PhaseRecorder phase, CallProgress progress, CallOptions options)
    {
        using var context = new StepContext(this, phase, progress.Scheduled, options, Interlocked.Increment(ref _invocations));
        var result = await RunStepAsync(context);
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
    /// The step's result; what it throws is its failure, said as a gRPC status, so that the base class counts it as
    /// the call's and never as the generator's own.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<StepResult> RunStepAsync(StepContext context)
    {
        try
        {
            return await step(context);
        }
        catch (RpcException)
        {
            throw;
        }
        catch (OperationCanceledException) when (context.CallOptions.CancellationToken.IsCancellationRequested)
        {
            // The run was interrupted: the base class counts the call as cancelled by the run.
            throw;
        }
        catch (OperationCanceledException) when (context.DeadlinePassed)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, "the step ran past its deadline"));
        }
        catch (FeederExhaustedException e)
        {
            throw new RpcException(new Status(StatusCode.OutOfRange, e.Message));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new RpcException(new Status(StatusCode.Unknown, $"{e.GetType().Name}: {e.Message}"));
        }
    }
}

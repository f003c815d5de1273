using System.Diagnostics;
using Grpc.Core;
using GrpcLoadLab.LoadGen.Metrics;

namespace GrpcLoadLab.LoadGen.CodeScenarios;

/// <summary>
/// What a step knows about its own call: the run's balanced channel (as typed clients), the deadline and cancellation
/// to pass on, when it was due, and a way to time named parts of it (<see cref="SubStepAsync{T}"/>). It is the step's
/// until the step ends; the engine then hands it to a later step, so a step must not keep it.
/// </summary>
public sealed class StepContext
{
    private readonly StepDriver _driver;
    private PhaseRecorder _phase = null!;
    private long _scheduled;
    private CancellationTokenSource? _deadline;

    internal StepContext(StepDriver driver) => _driver = driver;

    /// <summary>Makes it the context of the step that was due at <paramref name="scheduled"/>.</summary>
    internal void Begin(PhaseRecorder phase, long scheduled, CallOptions callOptions, long invocation)
    {
        _phase = phase;
        _scheduled = scheduled;
        CallOptions = callOptions;
        Invocation = invocation;
    }

    /// <summary>Ends the deadline's timer, if the step asked for <see cref="CancellationToken"/>; the engine calls it after the step.</summary>
    internal void End()
    {
        _deadline?.Dispose();
        _deadline = null;
    }

    /// <summary>This step's number in the run, from 1.</summary>
    public long Invocation { get; private set; }

    /// <summary>The index of the scenario's phase the step runs in.</summary>
    public int Phase => _phase.Index;

    /// <summary>True in a warm-up phase, whose steps the statistics leave out.</summary>
    public bool Warmup => _phase.Phase.Warmup;

    /// <summary>
    /// When the step was due, from its phase's start: its planned start in the open model (from the schedule, never
    /// from how the servers answer), its actual start in the closed one.
    /// </summary>
    public TimeSpan Due => Stopwatch.GetElapsedTime(_phase.Begin, _scheduled);

    /// <summary>The step's deadline (the scenario's <c>call.deadline</c>) and the run's cancellation, for a gRPC call.</summary>
    public CallOptions CallOptions { get; private set; }

    /// <summary>Cancelled at the step's deadline or when the run is interrupted, for any other call (HttpClient...).</summary>
    public CancellationToken CancellationToken
    {
        get
        {
            if (_deadline is null)
            {
                _deadline = CancellationTokenSource.CreateLinkedTokenSource(CallOptions.CancellationToken);
                if (CallOptions.Deadline is { } deadline)
                {
                    var left = deadline - DateTime.UtcNow;
                    _deadline.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
                }
            }

            return _deadline.Token;
        }
    }

    /// <summary>True once <see cref="CancellationToken"/> was cancelled by the deadline rather than by the run.</summary>
    internal bool DeadlinePassed => _deadline is { IsCancellationRequested: true } && !CallOptions.CancellationToken.IsCancellationRequested;

    /// <summary>The run's call invoker: calls made through it go over the lab's balanced channel.</summary>
    public CallInvoker CallInvoker => _driver.Invoker;

    /// <summary>A client of the generated type <typeparamref name="TClient"/> on the run's balanced channel, made once per run.</summary>
    public TClient Client<TClient>()
        where TClient : ClientBase<TClient> => _driver.Client<TClient>();

    /// <summary>
    /// Runs <paramref name="action"/> as the sub-step <paramref name="name"/>, timed on its own from its start: ended
    /// well, or failed when it throws (the exception goes on to the step). Recorded in the measured phases only.
    /// </summary>
    public async Task<T> SubStepAsync<T>(string name, Func<Task<T>> action)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(action);
        var started = Stopwatch.GetTimestamp();
        var succeeded = false;
        try
        {
            var value = await action();
            succeeded = true;
            return value;
        }
        finally
        {
            if (!Warmup)
            {
                _driver.SubSteps.Ended(name, started, Stopwatch.GetTimestamp(), succeeded);
            }
        }
    }

    /// <inheritdoc cref="SubStepAsync{T}(string, Func{Task{T}})"/>
    public Task SubStepAsync(string name, Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return SubStepAsync(name, async () =>
        {
            await action();
            return true;
        });
    }
}

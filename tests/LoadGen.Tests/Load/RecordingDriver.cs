using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using GrpcLoadLab.LoadGen.Calls;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Tests.Load;

/// <summary>
/// A driver whose calls do what the test says instead of going to a server, and that records when each call was
/// due and when it started: the engine and the recorder under it are the real ones.
/// </summary>
internal sealed class RecordingDriver : CallDriver
{
    private readonly Func<int, CancellationToken, Task> _call;
    private int _calls;

    public RecordingDriver(RunRecorder recorder, Func<int, CancellationToken, Task> call, CancellationToken runAborted)
        : base(new CallSpec(), recorder, runAborted) => _call = call;

    /// <summary>When each call started (Stopwatch readings), in the order they started.</summary>
    public ConcurrentQueue<long> Starts { get; } = new();

    /// <summary>Each call's phase and when it was due, in Stopwatch ticks from its phase's start, in the order they started.</summary>
    public ConcurrentQueue<(int Phase, long Due)> Dues { get; } = new();

    /// <summary>The threads the calls started on, in the order they started.</summary>
    public ConcurrentQueue<(int Id, bool ThreadPool)> StartThreads { get; } = new();

    protected override async ValueTask ExecuteAsync(PhaseRecorder phase, long scheduled, CallProgress progress, CallOptions options)
    {
        Starts.Enqueue(Stopwatch.GetTimestamp());
        Dues.Enqueue((phase.Index, scheduled - phase.Begin));
        StartThreads.Enqueue((Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread));
        await _call(Interlocked.Increment(ref _calls), options.CancellationToken);
        progress.InstanceId = "scripted";
    }
}

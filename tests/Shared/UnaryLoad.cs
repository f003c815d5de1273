using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Testing;

/// <summary>
/// A closed loop of unary calls: each worker starts its next call when the last one ended, until told to stop
/// starting, or its bound on calls or time is reached. Counts every call's outcome, when each failed call started,
/// and which instance served each successful one.
/// </summary>
public sealed class UnaryLoad : IDisposable
{
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stopStarting;
    private readonly ConcurrentQueue<FailedCall> _failures = new();
    private readonly ConcurrentDictionary<string, int> _servedBy = new(StringComparer.Ordinal);
    private int _succeeded;

    private UnaryLoad(LoadLab.LoadLabClient client, WorkRequest request, int workers, int maxCallsPerWorker, TimeSpan maxDuration)
    {
        _stopStarting = new CancellationTokenSource(maxDuration);
        Completion = Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkAsync(client, request, maxCallsPerWorker))));
    }

    /// <summary>Ends when every worker has stopped and its last call has ended.</summary>
    public Task Completion { get; }

    public int Succeeded => Volatile.Read(ref _succeeded);

    /// <summary>The status of each call that failed.</summary>
    public IReadOnlyCollection<Status> Failures => [.. _failures.Select(f => f.Status)];

    /// <summary>Each failed call, with when it started (a Stopwatch reading).</summary>
    public IReadOnlyCollection<FailedCall> FailedCalls => _failures;

    /// <summary>Successful calls by the instance id their reply named.</summary>
    public IReadOnlyDictionary<string, int> ServedBy => _servedBy;

    public static UnaryLoad Start(LoadLab.LoadLabClient client, WorkRequest request, int workers, int maxCallsPerWorker, TimeSpan maxDuration) =>
        new(client, request, workers, maxCallsPerWorker, maxDuration);

    /// <summary>Runs <paramref name="workers"/> × <paramref name="callsPerWorker"/> calls to their end (two minutes at most).</summary>
    public static async Task<UnaryLoad> RunAsync(LoadLab.LoadLabClient client, int workers, int callsPerWorker, WorkRequest? request = null)
    {
        var load = Start(client, request ?? new WorkRequest(), workers, callsPerWorker, TimeSpan.FromMinutes(2));
        await load.Completion;
        return load;
    }

    /// <summary>
    /// Calls in rounds of 30, one at a time, until a round has no failed call and its instances satisfy
    /// <paramref name="servedBy"/>; fails the test, naming the last round's instances, after 500 rounds.
    /// </summary>
    public static async Task WaitUntilServedByAsync(LoadLab.LoadLabClient client, Func<IReadOnlyDictionary<string, int>, bool> servedBy)
    {
        const int CallsPerRound = 30, MaxRounds = 500;
        IReadOnlyDictionary<string, int> seen = new Dictionary<string, int>();
        for (var round = 0; round < MaxRounds; round++)
        {
            using var load = await RunAsync(client, workers: 1, CallsPerRound);
            seen = load.ServedBy;
            if (load.Failures.Count == 0 && servedBy(seen))
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"after {MaxRounds} rounds of calls the last was served by [{string.Join(", ", seen.Keys)}]");
    }

    /// <summary>No worker starts another call; calls already started run to their end.</summary>
    public void StopStarting() => _stopStarting.Cancel();

    public void Dispose() => _stopStarting.Dispose();

    /// <summary>Waits until this many calls have succeeded; throws if the load ended or the time passed first.</summary>
    public async Task WaitForSucceededAsync(int count, TimeSpan within)
    {
        using var limit = new CancellationTokenSource(within);
        while (Succeeded < count)
        {
            if (limit.IsCancellationRequested || Completion.IsCompleted)
            {
                throw new TimeoutException($"only {Succeeded} of {count} calls succeeded; failures: {string.Join(", ", Failures)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
        }
    }

    private async Task WorkAsync(LoadLab.LoadLabClient client, WorkRequest request, int maxCalls)
    {
        for (var call = 0; call < maxCalls && !_stopStarting.IsCancellationRequested; call++)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var reply = await client.UnaryAsync(request, deadline: DateTime.UtcNow + CallDeadline);
                _servedBy.AddOrUpdate(reply.InstanceId, 1, static (_, n) => n + 1);
                Interlocked.Increment(ref _succeeded);
            }
            catch (RpcException e)
            {
                _failures.Enqueue(new FailedCall(e.Status, started));
            }
        }
    }
}

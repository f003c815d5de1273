using System.Collections.Concurrent;
using Grpc.Core;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Server.Tests.Functional.Timeline;

/// <summary>A client that follows an instance through WatchStats, keeping every second it receives and how the stream ended.</summary>
internal sealed class StatsWatcher : IDisposable
{
    private readonly AsyncServerStreamingCall<ServerSecond> _call;
    private readonly CancellationTokenSource _cancel;

    public StatsWatcher(TestServer server, int recentSeconds = 0)
    {
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(server.Timeout);
        _call = server.Client.WatchStats(new WatchStatsRequest { RecentSeconds = recentSeconds }, cancellationToken: _cancel.Token);
        Ended = ReadAsync();
    }

    public ConcurrentQueue<ServerSecond> Seconds { get; } = new();

    /// <summary>Completes with the stream's status once it has ended, however it ended.</summary>
    public Task<Status> Ended { get; }

    /// <summary>Waits (at most the test's patience) until the seconds received satisfy <paramref name="condition"/>.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<ServerSecond>, bool> condition, string what)
    {
        while (!condition([.. Seconds]))
        {
            if (Ended.IsCompleted)
            {
                throw new InvalidOperationException($"the stream ended ({await Ended}) before {what}; it sent {Seconds.Count} seconds");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), _cancel.Token);
        }
    }

    public Task CancelAsync() => _cancel.CancelAsync();

    public void Dispose()
    {
        _cancel.Cancel();
        _call.Dispose();
        _cancel.Dispose();
    }

    private async Task<Status> ReadAsync()
    {
        try
        {
            await foreach (var second in _call.ResponseStream.ReadAllAsync())
            {
                Seconds.Enqueue(second);
            }

            return _call.GetStatus();
        }
        catch (RpcException e)
        {
            return e.Status;
        }
    }
}

using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Balancer.Tests.Functional;

/// <summary>
/// A bounded closed loop of unary calls: <c>workers</c> callers share <c>total</c> calls, and stop starting calls
/// early when asked. Records which instance served each call and the status of each failed one.
/// </summary>
internal sealed class UnaryLoad
{
    /// <summary>No test load runs longer than this, whatever happens to the servers.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, int> _servedBy = new();
    private readonly ConcurrentDictionary<StatusCode, int> _failures = new();

    public IReadOnlyDictionary<string, int> ServedBy => _servedBy;

    public IReadOnlyDictionary<StatusCode, int> Failures => _failures;

    public int Succeeded => _servedBy.Values.Sum();

    public int Failed => _failures.Values.Sum();

    public static async Task<UnaryLoad> RunAsync(
        GrpcChannel channel, int total, int workers, WorkRequest? request = null, CancellationToken stopStarting = default)
    {
        var load = new UnaryLoad();
        await load.AddAsync(channel, total, workers, request ?? new WorkRequest(), stopStarting);
        return load;
    }

    private async Task AddAsync(GrpcChannel channel, int total, int workers, WorkRequest request, CancellationToken stopStarting)
    {
        var client = new LoadLab.LoadLabClient(channel);
        using var limit = new CancellationTokenSource(Limit);
        var remaining = total;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            while (!stopStarting.IsCancellationRequested && Interlocked.Decrement(ref remaining) >= 0 && !limit.IsCancellationRequested)
            {
                await CallOnceAsync(client, request, limit.Token);
            }
        }));
        Assert.False(limit.IsCancellationRequested, $"the load did not finish within {Limit}");
    }

    public int ShareOf(string instanceId) => _servedBy.GetValueOrDefault(instanceId);

    private async Task CallOnceAsync(LoadLab.LoadLabClient client, WorkRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await client.UnaryAsync(request, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken);
            _servedBy.AddOrUpdate(reply.InstanceId, 1, (_, n) => n + 1);
        }
        catch (RpcException e)
        {
            _failures.AddOrUpdate(e.StatusCode, 1, (_, n) => n + 1);
        }
    }
}

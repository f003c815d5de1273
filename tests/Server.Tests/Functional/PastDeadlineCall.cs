using Grpc.Core;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Metrics.Timeline;

namespace GrpcLoadLab.Server.Tests.Functional;

/// <summary>
/// A unary call whose deadline passes while the server works on it. A call whose deadline passes before the server
/// has read it never reaches the service (the client never sends it, or grpc-dotnet ends it before the service runs),
/// which a loaded machine can do to a one-second deadline: the deadline then doubles and the call goes again.
/// </summary>
internal static class PastDeadlineCall
{
    /// <summary>The first deadline tried: short next to the work, long enough for the call to reach an idle server.</summary>
    private static readonly TimeSpan ShortDeadline = TimeSpan.FromSeconds(1);

    /// <summary>Past this, a call that still never reached the service is a failure, not a busy machine.</summary>
    private static readonly TimeSpan LongestDeadline = TestServer.Patience / 4;

    /// <summary>
    /// Sends <paramref name="request"/> until a try reaches the service, each ending with DEADLINE_EXCEEDED, and returns
    /// the instance's stats once it has finished every request it received: Kestrel counts each request as its
    /// headers arrive, the hosting layer as the server finishes it, so no guess of a time says when a try is over (a
    /// server that ignored the deadline never finishes its call). Every call that reached the service has ended there,
    /// and the calls in flight are those before it.
    /// </summary>
    public static async Task<InstanceStats> SendAsync(TestServer server, WorkRequest request)
    {
        using var kestrel = new InstanceMeterReading(server, ServerTimeline.KestrelMeter);
        using var hosting = new InstanceMeterReading(server, ServerTimeline.HostingMeter);
        // A try may still reach the service after the next one was sent: it too must have ended (by its own deadline).
        var inFlightBefore = (await server.GetStatsAsync()).InFlight;
        bool AllFinished(InstanceStats stats) =>
            stats.InFlight == inFlightBefore && stats.Queued == 0
            && kestrel.Of("kestrel.queued_requests").Count(m => m.Value > 0) == hosting.Of("http.server.request.duration").Count;

        for (var deadline = ShortDeadline; ; deadline *= 2)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.UnaryAsync(
                request, deadline: DateTime.UtcNow + deadline, cancellationToken: server.Timeout).ResponseAsync);
            Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);

            var stats = await server.WaitForStatsInProcessAsync(AllFinished, "the server to finish every request it received");
            if (stats.Unary.Completed + stats.Unary.Failed + stats.Unary.Cancelled > 0)
            {
                return stats;
            }

            Assert.True(deadline < LongestDeadline, $"no call reached the service, the last with a deadline of {deadline.TotalSeconds}s");
        }
    }

    /// <summary>
    /// Every try that reached the service was cancelled there, and at least one did: a try that the machine delayed
    /// may reach it after the next one was sent, so more than one can.
    /// </summary>
    public static void AssertEveryCallCancelled(CallKindStats unary)
    {
        Assert.True(unary.Cancelled >= 1, $"no call was counted cancelled: {unary}");
        Assert.Equal(0, unary.Completed);
        Assert.Equal(0, unary.Failed);
    }
}

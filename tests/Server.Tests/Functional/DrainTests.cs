using Grpc.Core;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcLoadLab.Server.Tests.Functional;

/// <summary>
/// A draining instance ends its open streams with OK, then keeps its connections a moment so that their clients read
/// that end. A stream that arrives then is refused UNAVAILABLE, as a stopped server's would be: answered at once with
/// OK, it would be counted a success that did nothing.
/// </summary>
public class DrainTests
{
    [Fact]
    public async Task A_stream_that_arrives_after_the_open_streams_ended_is_refused_unavailable()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.DrainDelay = TimeSpan.Zero);
        var bidi = server.Services.GetRequiredService<InstanceCounters>()[CallKind.Bidi];
        using var open = server.Client.Bidi(cancellationToken: server.Timeout);
        await open.RequestStream.WriteAsync(new WorkRequest(), server.Timeout);
        Assert.True(await open.ResponseStream.MoveNext(server.Timeout));

        var stopping = server.StopAsync();
        Assert.False(await open.ResponseStream.MoveNext(server.Timeout), "the open stream ends with OK");
        using var late = server.Client.Bidi(cancellationToken: server.Timeout);
        await WriteRacingTheRefusalAsync(late, server.Timeout);
        var refused = await Assert.ThrowsAsync<RpcException>(() => late.ResponseStream.MoveNext(server.Timeout));
        await stopping;

        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        // The instance refused it (once its connections close, the client refuses it itself, with the same status).
        Assert.Equal(1, bidi.Failed);
    }

    /// <summary>
    /// Writes a message that may meet a call already refused: the write then fails with the call's status, or with
    /// CANCELLED when the client tears the request stream down before it has read that status (a race in the client,
    /// seen once in CI). The status the call ended with is what its reader reads.
    /// </summary>
    private static async Task WriteRacingTheRefusalAsync(AsyncDuplexStreamingCall<WorkRequest, WorkReply> call, CancellationToken cancellationToken)
    {
        try
        {
            await call.RequestStream.WriteAsync(new WorkRequest(), cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.Cancelled)
        {
        }
    }
}

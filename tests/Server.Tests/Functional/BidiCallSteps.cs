using Grpc.Core;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Server.Tests.Functional;

/// <summary>The steps of a bidi call that several tests take: one echo, and a clean end from the client side.</summary>
internal static class BidiCallSteps
{
    /// <summary>Sends one message and returns the reply to it.</summary>
    public static async Task<WorkReply> EchoAsync(
        this AsyncDuplexStreamingCall<WorkRequest, WorkReply> call, WorkRequest request, CancellationToken cancellationToken)
    {
        await call.RequestStream.WriteAsync(request, cancellationToken);
        Assert.True(await call.ResponseStream.MoveNext(cancellationToken), "the bidi stream ended instead of echoing");
        return call.ResponseStream.Current;
    }

    /// <summary>Says the client has finished sending, checks that no reply was left unread, and returns the call's status.</summary>
    public static async Task<Status> CompleteAsync(
        this AsyncDuplexStreamingCall<WorkRequest, WorkReply> call, CancellationToken cancellationToken)
    {
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(cancellationToken), "the bidi stream sent a reply nobody asked for");
        return call.GetStatus();
    }
}

using System.Runtime.CompilerServices;
using Grpc.Core;

namespace GrpcLoadLab.Common;

/// <summary>Writes to a streaming call that the server may already have ended.</summary>
public static class ClientStreamWriterExtensions
{
    /// <summary>
    /// Sends <paramref name="message"/>; false when the call had already ended. A server may end a stream while its
    /// client still writes (a drain ends open streams with OK, a failing server ends them with its status, a server
    /// without the method answers UNIMPLEMENTED at once), and the write then fails with a status Grpc.Net.Client
    /// guesses: CANCELLED until it has read the server's. The status the server sent is in the call's response: on
    /// false, read it there (the response stream to its end, or the unary response).
    /// </summary>
    /// <remarks>
    /// A write fails so only once the call is over: the server ended it, its deadline passed or its connection was
    /// lost. (A send-size limit on the channel would fail a write of a call still open; the lab's channels set none.)
    /// Grpc.Net.Client turns a write's cancellation into an RpcException but lets the transport's own failures through:
    /// an IOException for a request aborted, and SocketsHttpHandler's HttpRequestException for a stream on a connection
    /// the server ended (a GOAWAY that the stream was above, e.g. Kestrel's STREAM_CLOSED for data on a stream it no
    /// longer tracks).
    /// Another cancellation than <paramref name="cancellationToken"/>'s surfaces as an RpcException too, as long as the
    /// channel keeps ThrowOperationCanceledOnCancellation off, its default.
    /// </remarks>
    /// <exception cref="OperationCanceledException">Or an <see cref="RpcException"/>: <paramref name="cancellationToken"/> was cancelled, the caller's own end.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<bool> TryWriteAsync<T>(this IClientStreamWriter<T> requests, T message, CancellationToken cancellationToken)
    {
        try
        {
            await requests.WriteAsync(message, cancellationToken);
            return true;
        }
        catch (Exception e) when ((e is RpcException or IOException or HttpRequestException) && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}

using Grpc.Core;

namespace GrpcLoadLab.LoadGen.Benchmarks;

/// <summary>
/// A call invoker that answers every call with a fixed reply, after one hop through the thread pool as a real
/// channel's reply would come: a call stays asynchronous (its awaiting methods box their state), and nothing of
/// Grpc.Net.Client, HTTP/2 or a server is measured. What it allocates per call is the same for the bare call and for
/// loadgen's, so their difference is loadgen's own.
/// </summary>
internal sealed class AnsweringInvoker<TReply>(TReply reply, int repliesPerStream) : InProcessInvoker
    where TReply : class
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        Answered(ReplyAsync<TResponse>());

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        Answered<TResponse>(new Replies<TResponse>((TResponse)(object)reply, repliesPerStream));

    /// <summary>A bidi call that takes every message and answers <c>repliesPerStream</c> replies, as an echoing server would.</summary>
    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        Answered(new Requests<TRequest>(), new Replies<TResponse>((TResponse)(object)reply, repliesPerStream));

    private async Task<TResponse> ReplyAsync<TResponse>()
    {
        await Task.Yield();
        return (TResponse)(object)reply;
    }

    /// <summary>A request stream whose every write is taken after a hop through the thread pool, as a real one's flush would be.</summary>
    private sealed class Requests<TRequest> : IClientStreamWriter<TRequest>
    {
        public WriteOptions? WriteOptions { get; set; }

        public async Task WriteAsync(TRequest message)
        {
            await Task.Yield();
        }

        public Task CompleteAsync() => Task.CompletedTask;
    }

    /// <summary>A server stream of <paramref name="count"/> copies of one reply, each after a hop through the thread pool.</summary>
    private sealed class Replies<TResponse>(TResponse reply, int count) : IAsyncStreamReader<TResponse>
    {
        private int _left = count;

        public TResponse Current => reply;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            await Task.Yield();
            return _left-- > 0;
        }
    }
}

using Grpc.Core;

namespace GrpcLoadLab.LoadGen.Benchmarks;

/// <summary>
/// What the benchmarks' in-process call invokers share: a reply made into a call that ends OK with no trailers, as a
/// channel's would, and every call kind they do not answer refused.
/// </summary>
internal abstract class InProcessInvoker : CallInvoker
{
    private static readonly Metadata NoTrailers = [];

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    protected static AsyncUnaryCall<TResponse> Answered<TResponse>(Task<TResponse> reply) =>
        new(reply, Task.FromResult(NoTrailers), static () => Status.DefaultSuccess, static () => NoTrailers, static () => { });

    protected static AsyncServerStreamingCall<TResponse> Answered<TResponse>(IAsyncStreamReader<TResponse> replies) =>
        new(replies, Task.FromResult(NoTrailers), static () => Status.DefaultSuccess, static () => NoTrailers, static () => { });

    protected static AsyncDuplexStreamingCall<TRequest, TResponse> Answered<TRequest, TResponse>(IClientStreamWriter<TRequest> requests, IAsyncStreamReader<TResponse> replies) =>
        new(requests, replies, Task.FromResult(NoTrailers), static () => Status.DefaultSuccess, static () => NoTrailers, static () => { });
}

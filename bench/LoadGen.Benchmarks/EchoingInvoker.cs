using System.Threading.Channels;
using Grpc.Core;

namespace GrpcLoadLab.LoadGen.Benchmarks;

/// <summary>
/// A bidi call invoker that answers each message written with one fixed reply, after one hop through the thread pool,
/// and ends the call once the client has completed its writes: an echoing server, as far as a client can tell. Unlike
/// <see cref="AnsweringInvoker{TReply}"/>, a read waits for the message it answers, as loadgen's read through a pause
/// does on a real server.
/// </summary>
internal sealed class EchoingInvoker<TReply>(TReply reply) : InProcessInvoker
    where TReply : class
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        var echoes = Channel.CreateUnbounded<TResponse>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        return Answered(new Requests<TRequest, TResponse>(echoes.Writer, (TResponse)(object)reply), new Echoes<TResponse>(echoes.Reader));
    }

    private sealed class Requests<TRequest, TResponse>(ChannelWriter<TResponse> echoes, TResponse reply) : IClientStreamWriter<TRequest>
    {
        public WriteOptions? WriteOptions { get; set; }

        public async Task WriteAsync(TRequest message)
        {
            await Task.Yield();
            echoes.TryWrite(reply);
        }

        public Task CompleteAsync()
        {
            echoes.TryComplete();
            return Task.CompletedTask;
        }
    }

    private sealed class Echoes<TResponse>(ChannelReader<TResponse> echoes) : IAsyncStreamReader<TResponse>
    {
        public TResponse Current { get; private set; } = default!;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            while (await echoes.WaitToReadAsync(cancellationToken))
            {
                if (echoes.TryRead(out var echo))
                {
                    Current = echo;
                    return true;
                }
            }

            return false;
        }
    }
}

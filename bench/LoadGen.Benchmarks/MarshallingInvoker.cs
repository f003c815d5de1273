using System.Buffers;
using Grpc.Core;

namespace GrpcLoadLab.LoadGen.Benchmarks;

/// <summary>
/// A call invoker that answers every unary call with the same reply bytes after one hop through the thread pool, as
/// <see cref="AnsweringInvoker{TReply}"/> does, but through the call's own marshallers, as a channel would: the
/// request is serialized into a buffer and the reply deserialized from its wire bytes. So what a typed client and a
/// call by schema allocate to turn messages into bytes and back is measured too; HTTP/2 and a server are not. One
/// call at a time (its buffers are reused).
/// </summary>
internal sealed class MarshallingInvoker(byte[] replyBytes) : InProcessInvoker
{
    private readonly Serialization _serialization = new();
    private readonly Deserialization _deserialization = new(replyBytes);

    /// <summary>The bytes of the last request serialized: what the call sent.</summary>
    public ReadOnlyMemory<byte> LastRequest => _serialization.Written;

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        _serialization.Reset();
        method.RequestMarshaller.ContextualSerializer(request, _serialization);
        return Answered(ReplyAsync(method.ResponseMarshaller));
    }

    private async Task<TResponse> ReplyAsync<TResponse>(Marshaller<TResponse> marshaller)
    {
        await Task.Yield();
        return marshaller.ContextualDeserializer(_deserialization);
    }

    /// <summary>Writes into one growing buffer, as grpc-dotnet's serialization context writes into its pipe.</summary>
    private sealed class Serialization : SerializationContext
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(1024);

        public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

        public void Reset() => _buffer.ResetWrittenCount();

        public override void Complete(byte[] payload) => _buffer.Write(payload);

        public override IBufferWriter<byte> GetBufferWriter() => _buffer;

        public override void SetPayloadLength(int payloadLength)
        {
        }

        public override void Complete()
        {
        }
    }

    private sealed class Deserialization(byte[] payload) : DeserializationContext
    {
        public override int PayloadLength => payload.Length;

        public override byte[] PayloadAsNewBuffer() => (byte[])payload.Clone();

        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(payload);
    }
}

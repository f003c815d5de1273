using Grpc.Core;
using Grpc.Net.Client;
using GrpcLoadLab.Common;

namespace GrpcLoadLab.Server.Probe;

/// <summary>
/// Asks a server for its list of services by reflection: v1, then v1alpha (which many servers still serve alone, as
/// Python's grpcio-reflection long did).
/// </summary>
public static class ReflectionListing
{
    private static readonly string[] Services = ["grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"];

    /// <summary>
    /// <c>ServerReflectionRequest { list_services: "" }</c>: field 7, length-delimited, empty. Both versions share
    /// the message's wire form, so one call serves both.
    /// </summary>
    private static readonly byte[] ListServicesRequest = [7 << 3 | 2, 0];

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(bytes => bytes, bytes => bytes);

    /// <summary>True when the server lists its services by either version; false when it serves neither.</summary>
    /// <exception cref="RpcException">The server failed otherwise (down, or past the deadline).</exception>
    public static async Task<bool> AnswersAsync(GrpcChannel channel, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var invoker = channel.CreateCallInvoker();
        foreach (var service in Services)
        {
            var method = new Method<byte[], byte[]>(MethodType.DuplexStreaming, service, "ServerReflectionInfo", Bytes, Bytes);
            using var call = invoker.AsyncDuplexStreamingCall(
                method, host: null, new CallOptions(deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken));
            try
            {
                // A server without the version answers UNIMPLEMENTED at once, and the write may find the call ended:
                // the reply read next then throws the server's status.
                _ = await call.RequestStream.TryWriteAsync(ListServicesRequest, cancellationToken);
                await call.RequestStream.CompleteAsync();
                return await call.ResponseStream.MoveNext(cancellationToken);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
            {
                // Not this version: try the next.
            }
        }

        return false;
    }
}

using Google.Protobuf;
using Grpc.Core;
using Grpc.Reflection.V1;
using GrpcLoadLab.Common;

namespace GrpcLoadLab.LoadGen.Dynamic;

/// <summary>
/// A schema from the server itself, by gRPC server reflection: v1, falling back to v1alpha (which many servers still
/// serve alone). It asks for the service's file, then for each import the server has not sent yet. The call carries
/// the run's metadata, as a server that wants credentials on every call needs.
/// </summary>
internal static class ReflectionSchema
{
    private static readonly string[] Versions = ["grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"];

    // v1 and v1alpha share their messages' wire form: v1's types serve for both.
    private static readonly Marshaller<ServerReflectionRequest> Requests = Marshallers.Create(r => r.ToByteArray(), ServerReflectionRequest.Parser.ParseFrom);
    private static readonly Marshaller<ServerReflectionResponse> Responses = Marshallers.Create(r => r.ToByteArray(), ServerReflectionResponse.Parser.ParseFrom);

    /// <param name="where">The server, for messages: e.g. <c>reflection at static:127.0.0.1:7350</c>.</param>
    /// <exception cref="DynamicCallException">The server serves no reflection, or does not know the service.</exception>
    public static async Task<Schema> LoadAsync(
        CallInvoker invoker, string service, Metadata headers, TimeSpan timeout, string where, CancellationToken cancellationToken)
    {
        foreach (var version in Versions)
        {
            var method = new Method<ServerReflectionRequest, ServerReflectionResponse>(
                MethodType.DuplexStreaming, version, "ServerReflectionInfo", Requests, Responses);
            using var call = invoker.AsyncDuplexStreamingCall(
                method, host: null, new CallOptions(headers, DateTime.UtcNow + timeout, cancellationToken));
            try
            {
                return await FetchAsync(call, service, where, cancellationToken);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
            {
                // Not this version: try the next.
            }
            catch (RpcException e)
            {
                throw new DynamicCallException($"{where}: the reflection call failed with {e.StatusCode} ({e.Status.Detail})");
            }
        }

        throw new DynamicCallException(
            $"{where}: the server serves no reflection (neither grpc.reflection.v1 nor v1alpha): give the schema with --proto FILE or --descriptor-set FILE (\"protos\" or \"descriptorSet\" in the call)");
    }

    private static async Task<Schema> FetchAsync(
        AsyncDuplexStreamingCall<ServerReflectionRequest, ServerReflectionResponse> call, string service, string where, CancellationToken cancellationToken)
    {
        var listed = await AskAsync(call, new ServerReflectionRequest { ListServices = string.Empty }, where, cancellationToken);
        var services = listed.ListServicesResponse?.Service.Select(s => s.Name).ToList() ?? [];
        if (!services.Contains(service, StringComparer.Ordinal))
        {
            throw new DynamicCallException($"{where}: the server has no service '{service}' (services: {string.Join(", ", services.Order(StringComparer.Ordinal))})");
        }

        var files = new Dictionary<string, ByteString>(StringComparer.Ordinal);
        var wanted = new Queue<ServerReflectionRequest>([new ServerReflectionRequest { FileContainingSymbol = service }]);
        while (wanted.TryDequeue(out var request))
        {
            var response = await AskAsync(call, request, where, cancellationToken);
            foreach (var bytes in response.FileDescriptorResponse?.FileDescriptorProto ?? [])
            {
                var file = Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(bytes);
                if (!files.TryAdd(file.Name, bytes))
                {
                    continue;
                }

                // Imports the server has not sent, and that are no well-known type (Schema.Build adds those).
                foreach (var dependency in file.Dependency)
                {
                    if (!files.ContainsKey(dependency) && !WellKnownTypes.Files.ContainsKey(dependency) && wanted.All(w => w.FileByFilename != dependency))
                    {
                        wanted.Enqueue(new ServerReflectionRequest { FileByFilename = dependency });
                    }
                }
            }
        }

        await call.RequestStream.CompleteAsync();
        return Schema.Build(where, files.Values);
    }

    private static async Task<ServerReflectionResponse> AskAsync(
        AsyncDuplexStreamingCall<ServerReflectionRequest, ServerReflectionResponse> call, ServerReflectionRequest request, string where, CancellationToken cancellationToken)
    {
        // A server without the version answers UNIMPLEMENTED at once, and a write may find the call ended: the reply
        // read next then throws the server's status.
        _ = await call.RequestStream.TryWriteAsync(request, cancellationToken);
        if (!await call.ResponseStream.MoveNext(cancellationToken))
        {
            throw new DynamicCallException($"{where}: the server ended the reflection stream without answering");
        }

        var response = call.ResponseStream.Current;
        return response.ErrorResponse is { } error
            ? throw new DynamicCallException($"{where}: reflection answered {(StatusCode)error.ErrorCode}: {error.ErrorMessage}")
            : response;
    }
}

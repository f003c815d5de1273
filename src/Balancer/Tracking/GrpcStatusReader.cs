using Grpc.Core;

namespace GrpcLoadLab.Balancer.Tracking;

/// <summary>Reads the grpc-status a server sent: in the trailers, or in the headers of a trailers-only reply.</summary>
internal static class GrpcStatusReader
{
    private const string StatusHeader = "grpc-status";

    public static StatusCode? Read(HttpResponseMessage response) =>
        Read(response.TrailingHeaders) ?? Read(response.Headers);

    private static StatusCode? Read(System.Net.Http.Headers.HttpHeaders headers) =>
        headers.TryGetValues(StatusHeader, out var values)
        && int.TryParse(values.FirstOrDefault(), out var code)
            ? (StatusCode)code
            : null;
}

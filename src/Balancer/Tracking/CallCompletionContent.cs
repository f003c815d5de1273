using System.Net;

namespace GrpcLoadLab.Balancer.Tracking;

/// <summary>
/// Wraps a response's content to learn when the call really ends: grpc-dotnet disposes the response when the call
/// completes, is cancelled or passes its deadline. The built-in call tracker ends a call at its response headers,
/// so it counts an open stream as finished (grpc-dotnet issue 2133); this counts it until the stream ends.
/// </summary>
internal sealed class CallCompletionContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly HttpResponseMessage _response;
    private readonly EndpointStats _endpoint;
    private readonly AttemptCounts _counts;
    private int _ended;

    public CallCompletionContent(HttpResponseMessage response, EndpointStats endpoint, AttemptCounts counts)
    {
        _inner = response.Content;
        _response = response;
        _endpoint = endpoint;
        _counts = counts;
        // grpc-dotnet checks the reply's content type, the only content header a gRPC reply carries; copying just it
        // rather than enumerating every header saves the enumeration's allocations on every call.
        Headers.ContentType = _inner.Headers.ContentType;
    }

    protected override Task<Stream> CreateContentReadStreamAsync() => _inner.ReadAsStreamAsync();

    protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        _inner.ReadAsStreamAsync(cancellationToken);

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) =>
        _inner.ReadAsStream(cancellationToken);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        _inner.CopyToAsync(stream, context);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        _inner.CopyToAsync(stream, context, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _endpoint.AttemptEnded(_counts, GrpcStatusReader.Read(_response));
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

using Grpc.Core;

namespace GrpcLoadLab.Balancer.Tracking;

/// <summary>
/// Counts every attempt per endpoint. It runs after the balancer's pick (grpc-dotnet wraps the channel's handler in
/// its balancer handler, which has already rewritten the request to the picked host:port), so it works the same for
/// every policy, the built-in ones included.
/// </summary>
internal sealed class EndpointTrackingHandler(EndpointRegistry registry) : DelegatingHandler
{
    /// <summary>grpc-dotnet sends this header on every retry or hedge of a call.</summary>
    private const string PreviousAttemptsHeader = "grpc-previous-rpc-attempts";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var endpoint = registry.For(uri.Host, uri.Port);
        var counts = endpoint.AttemptStarted(isRetry: request.Headers.Contains(PreviousAttemptsHeader));

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The client ended the call (cancelled it, or its deadline passed): whatever the send threw
            // then, no server gave a status, and none failed.
            endpoint.AttemptEnded(counts, status: null);
            throw;
        }
        catch
        {
            // The request never got a reply: to gRPC that is UNAVAILABLE.
            endpoint.AttemptEnded(counts, StatusCode.Unavailable);
            throw;
        }

        response.Content = new CallCompletionContent(response, endpoint, counts);
        return response;
    }
}

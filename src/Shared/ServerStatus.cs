using Grpc.Core;

namespace GrpcLoadLab.Common;

/// <summary>What status a server gave a streaming call that failed on the client's side.</summary>
public static class ServerStatus
{
    /// <summary>
    /// The status the server gave <paramref name="call"/>, which failed with <paramref name="failure"/>. A server
    /// that lacks the method answers UNIMPLEMENTED at once, and a request written meanwhile can fail first, as
    /// CANCELLED (seen with grpcio, whose reflection is v1alpha only, when asked for v1): the server's own answer then
    /// comes with its response headers. The client's own failure when the call has no status yet.
    /// </summary>
    public static async Task<StatusCode> OfAsync<TRequest, TResponse>(AsyncDuplexStreamingCall<TRequest, TResponse> call, RpcException failure)
    {
        if (failure.StatusCode == StatusCode.Unimplemented)
        {
            return failure.StatusCode;
        }

        try
        {
            await call.ResponseHeadersAsync;
        }
        catch (RpcException answered)
        {
            return answered.StatusCode;
        }

        try
        {
            return call.GetStatus().StatusCode;
        }
        catch (InvalidOperationException)
        {
            return failure.StatusCode;
        }
    }
}

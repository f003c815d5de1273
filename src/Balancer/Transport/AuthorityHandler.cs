namespace GrpcLoadLab.Balancer.Transport;

/// <summary>
/// Names every request's authority: HTTP/2's <c>:authority</c>, which SocketsHttpHandler also uses as TLS's server name
/// and checks the server's certificate against, while the connection still goes to the instance's own address.
/// </summary>
internal sealed class AuthorityHandler(string authority) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Host = authority;
        return base.SendAsync(request, cancellationToken);
    }
}

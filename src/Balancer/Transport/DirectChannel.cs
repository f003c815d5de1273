using Grpc.Net.Client;
using Microsoft.Extensions.Logging;

namespace GrpcLoadLab.Balancer.Transport;

/// <summary>
/// A channel straight to one instance, beside the balanced one (health watches, the servers' counters, faults, the
/// connection check), over the same TLS as the balanced channel, or none.
/// </summary>
public static class DirectChannel
{
    /// <param name="address"><c>host:port</c>.</param>
    /// <param name="tls">The target's TLS; null for plaintext HTTP/2 (h2c).</param>
    /// <param name="transport">The transport's settings (timeouts, keep-alive); the channel owns it. Default: grpc-dotnet's.</param>
    public static GrpcChannel Create(string address, ClientTls? tls, SocketsHttpHandler? transport = null, ILoggerFactory? loggerFactory = null) =>
        GrpcChannel.ForAddress($"{(tls is null ? "http" : "https")}://{address}", new GrpcChannelOptions
        {
            HttpHandler = ClientTls.Handler(tls, transport ?? new SocketsHttpHandler()),
            LoggerFactory = loggerFactory,
        });
}

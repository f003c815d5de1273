using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;

namespace GrpcLoadLab.EndToEnd.Tests.Namespaces;

/// <summary>One "pod" or "machine" of the test's network: a network namespace of its own, with one address on the bridge.</summary>
internal sealed record NetworkHost(string Namespace, IPAddress Address)
{
    /// <summary>
    /// A channel to a server at <paramref name="address"/>:<paramref name="port"/> whose connections start from this
    /// host (their sockets are made in its namespace), for the test to ask servers in the network for their health.
    /// </summary>
    public GrpcChannel ChannelTo(IPAddress address, int port) => GrpcChannel.ForAddress(
        $"http://{address}:{port}",
        new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectCallback = async (context, cancellationToken) =>
                {
                    var socket = NamespaceSockets.Create(Namespace, SocketType.Stream, ProtocolType.Tcp);
                    try
                    {
                        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port), cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            },
        });

    public override string ToString() => $"{Namespace} ({Address})";
}

using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client.Balancer;
using GrpcLoadLab.Balancer.Tracking;
using GrpcLoadLab.Balancer.Transport;

namespace GrpcLoadLab.Balancer.Health;

/// <summary>
/// Keeps a grpc.health.v1 Watch stream open to one endpoint and reports each change. A lost stream (the instance was
/// killed or stopped) counts as NOT_SERVING and is opened again after <see cref="BalancerOptions.HealthRetryDelay"/>,
/// so a restarted instance is seen as soon as it serves. HTTP/2 keep-alive pings notice an instance that stops
/// answering without closing its connection. The watch uses a connection of its own: grpc-dotnet offers no way to
/// send it over a subchannel's connection.
/// </summary>
internal sealed class EndpointHealthWatch : IDisposable
{
    private static readonly TimeSpan PingDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a ping may go unanswered before the endpoint counts as down. Generous: an overloaded instance (or a
    /// generator starved of its cores) answers late, and taking it out of rotation turns its latency into failures; with
    /// every endpoint out, every call fails at once (grpc-dotnet's "Resolver returned no addresses"). An instance that
    /// answers no ping for this long is hung.
    /// </summary>
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();
    private readonly Action _changed;
    private volatile EndpointHealth _health = EndpointHealth.Unknown;

    public EndpointHealthWatch(BalancerAddress address, BalancerOptions options, Action changed)
    {
        _changed = changed;
        _ = WatchAsync(address, options);
    }

    public EndpointHealth Health => _health;

    /// <summary>Stops the watch; the watch loop disposes what it holds as it ends.</summary>
    public void Dispose()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The loop has already ended (a server without the health service) and disposed it.
        }
    }

    private async Task WatchAsync(BalancerAddress address, BalancerOptions options)
    {
        using var stopSource = _stop;
        var stop = stopSource.Token;
        using var channel = DirectChannel.Create(
            EndpointRegistry.Format(address.EndPoint.Host, address.EndPoint.Port),
            options.Tls,
            new SocketsHttpHandler
            {
                ConnectTimeout = options.ConnectTimeout,
                KeepAlivePingDelay = PingDelay,
                KeepAlivePingTimeout = PingTimeout,
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            },
            options.LoggerFactory);
        var client = new Grpc.Health.V1.Health.HealthClient(channel);
        var request = new HealthCheckRequest { Service = options.HealthService };

        while (!stop.IsCancellationRequested)
        {
            try
            {
                // An endpoint that accepts the stream but never answers must not stay Unknown.
                using var firstAnswer = CancellationTokenSource.CreateLinkedTokenSource(stop);
                firstAnswer.CancelAfter(options.ConnectTimeout);
                using var call = client.Watch(request, cancellationToken: firstAnswer.Token);
                while (await call.ResponseStream.MoveNext(CancellationToken.None))
                {
                    firstAnswer.CancelAfter(Timeout.InfiniteTimeSpan);
                    Set(call.ResponseStream.Current.Status == HealthCheckResponse.Types.ServingStatus.Serving
                        ? EndpointHealth.Serving
                        : EndpointHealth.NotServing);
                }

                // The server ended the watch: it is stopping.
                Set(EndpointHealth.NotServing);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
            {
                // A server without the health service: its connection state alone decides, as without health checks.
                Set(EndpointHealth.Serving);
                return;
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // Whatever went wrong (a reset, a refused connection, a transport error of any kind), the watch must
                // live on: a loop that died would leave this endpoint out of rotation for good.
                Set(EndpointHealth.NotServing);
            }

            try
            {
                await Task.Delay(options.HealthRetryDelay, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Set(EndpointHealth health)
    {
        if (_health != health && !_stop.IsCancellationRequested)
        {
            _health = health;
            _changed();
        }
    }
}

using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using GrpcLoadLab.Balancer.Health;
using GrpcLoadLab.Balancer.Policies;
using GrpcLoadLab.Balancer.Resolvers;
using GrpcLoadLab.Balancer.Targets;
using GrpcLoadLab.Balancer.Tracking;
using GrpcLoadLab.Balancer.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcLoadLab.Balancer;

/// <summary>
/// Creates balanced channels on grpc-dotnet's balancing pipeline: a resolver for the target's scheme (wrapped so that
/// only SERVING endpoints are passed on), the chosen policy, and a handler that counts every attempt per endpoint.
/// </summary>
public static class BalancedChannelFactory
{
    /// <summary>Keep-alive pings on idle-looking connections, as grpc-dotnet's performance guide advises.</summary>
    private static readonly TimeSpan KeepAlivePingDelay = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan KeepAlivePingTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Parses <paramref name="target"/> (<c>file:PATH</c>, <c>static:HOST:PORT,...</c>, <c>dns:HOST:PORT</c>) and creates
    /// the channel. Throws <see cref="BalancerConfigurationException"/> for a bad target or option.
    /// </summary>
    public static BalancedChannel Create(string target, BalancerOptions? options = null) =>
        Create(BalancerTarget.Parse(target), options);

    public static BalancedChannel Create(BalancerTarget target, BalancerOptions? options = null)
    {
        options ??= new BalancerOptions();
        options.Validate();

        var endpoints = new EndpointRegistry();
        var services = new ServiceCollection();
        services.AddSingleton<ResolverFactory>(new HealthCheckingResolverFactory(CreateResolverFactory(target, options), options, endpoints));
        // Ahead of grpc-dotnet's own round_robin: a channel's factories are looked up by name, the registered ones first.
        services.AddSingleton<LoadBalancerFactory>(new UnreachableAsUnavailableFactory(new RoundRobinBalancerFactory()));
        services.AddSingleton<LoadBalancerFactory>(new UnreachableAsUnavailableFactory(new LeastOutstandingBalancerFactory(endpoints)));
        var provider = services.BuildServiceProvider();

        var transport = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            MaxConnectionsPerServer = options.MaxConnectionsPerEndpoint,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = KeepAlivePingDelay,
            KeepAlivePingTimeout = KeepAlivePingTimeout,
        };
        var channel = GrpcChannel.ForAddress(target.ChannelAddress, new GrpcChannelOptions
        {
            // The credentials choose https for every instance's address; the TLS itself is the transport's.
            Credentials = options.Tls is null ? ChannelCredentials.Insecure : ChannelCredentials.SecureSsl,
            ServiceProvider = provider,
            HttpHandler = new EndpointTrackingHandler(endpoints) { InnerHandler = ClientTls.Handler(options.Tls, transport) },
            ServiceConfig = CreateServiceConfig(options),
            MaxReconnectBackoff = options.MaxReconnectBackoff,
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(Math.Min(100, options.MaxReconnectBackoff.TotalMilliseconds)),
            MaxRetryAttempts = options.Retry == RetryMode.None ? null : options.MaxAttempts,
            LoggerFactory = options.LoggerFactory,
        });
        return new BalancedChannel(channel, target, options, endpoints, provider);
    }

    private static ResolverFactory CreateResolverFactory(BalancerTarget target, BalancerOptions options) => target.Kind switch
    {
        TargetKind.File => new FileResolverFactory(options.FileRefreshInterval),
        TargetKind.Static => new StaticResolverFactory(_ => target.Addresses),
        TargetKind.Dns => new DnsResolverFactory(options.DnsRefreshInterval),
        _ => throw new ArgumentOutOfRangeException(nameof(target), target.Kind, null),
    };

    private static ServiceConfig CreateServiceConfig(BalancerOptions options)
    {
        var config = new ServiceConfig
        {
            LoadBalancingConfigs =
            {
                options.Policy switch
                {
                    BalancingPolicy.RoundRobin => new RoundRobinConfig(),
                    BalancingPolicy.PickFirst => new PickFirstConfig(),
                    BalancingPolicy.LeastOutstanding => new LoadBalancingConfig(LeastOutstandingBalancerFactory.PolicyName),
                    _ => throw new ArgumentOutOfRangeException(nameof(options), options.Policy, null),
                },
            },
        };
        if (options.Retry == RetryMode.None)
        {
            return config;
        }

        var method = new MethodConfig();
        foreach (var name in options.RetryMethods)
        {
            method.Names.Add(ParseMethodName(name));
        }

        if (options.Retry == RetryMode.Retry)
        {
            method.RetryPolicy = new RetryPolicy
            {
                MaxAttempts = options.MaxAttempts,
                InitialBackoff = options.RetryInitialBackoff,
                MaxBackoff = options.RetryMaxBackoff,
                BackoffMultiplier = 2,
                RetryableStatusCodes = { StatusCode.Unavailable },
            };
        }
        else
        {
            method.HedgingPolicy = new HedgingPolicy
            {
                MaxAttempts = options.MaxAttempts,
                HedgingDelay = options.HedgingDelay,
                NonFatalStatusCodes = { StatusCode.Unavailable },
            };
        }

        config.MethodConfigs.Add(method);
        config.RetryThrottling = new RetryThrottlingPolicy
        {
            MaxTokens = options.RetryThrottlingMaxTokens,
            TokenRatio = options.RetryThrottlingTokenRatio,
        };
        return config;
    }

    /// <summary><c>package.Service/Method</c>, or <c>package.Service</c> for all of its methods.</summary>
    private static MethodName ParseMethodName(string name)
    {
        var slash = name.IndexOf('/');
        if (name.Length == 0 || slash == 0 || slash == name.Length - 1)
        {
            throw new BalancerConfigurationException($"retry method '{name}' is not package.Service/Method or package.Service");
        }

        return slash < 0
            ? new MethodName { Service = name }
            : new MethodName { Service = name[..slash], Method = name[(slash + 1)..] };
    }
}

using Grpc.Net.Client.Balancer;

namespace GrpcLoadLab.Balancer.Resolvers;

/// <summary>The <c>file</c> scheme: <c>file:///path/to/servers.txt</c>.</summary>
internal sealed class FileResolverFactory(TimeSpan refreshInterval) : ResolverFactory
{
    public override string Name => "file";

    public override Resolver Create(ResolverOptions options) =>
        new FileResolver(options.Address.LocalPath, refreshInterval, options.LoggerFactory);
}

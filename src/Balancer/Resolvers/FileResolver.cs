using Grpc.Core;
using Grpc.Net.Client.Balancer;
using GrpcLoadLab.Balancer.Targets;
using Microsoft.Extensions.Logging;

namespace GrpcLoadLab.Balancer.Resolvers;

/// <summary>
/// Reads the registry file every <see cref="BalancerOptions.FileRefreshInterval"/>, so an instance added to or
/// removed from the file joins or leaves the rotation within about that long, with no client restart. A file that
/// disappears or goes bad is reported as UNAVAILABLE; grpc-dotnet keeps using the instances it has meanwhile.
/// </summary>
internal sealed class FileResolver : PollingResolver
{
    private readonly string _path;
    private readonly TimeSpan _interval;
    private Timer? _timer;

    public FileResolver(string path, TimeSpan interval, ILoggerFactory loggerFactory)
        : base(loggerFactory)
    {
        _path = path;
        _interval = interval;
    }

    protected override void OnStarted()
    {
        base.OnStarted();
        _timer = new Timer(_ => RefreshUnlessDisposed(), null, _interval, _interval);
    }

    protected override Task ResolveAsync(CancellationToken cancellationToken)
    {
        try
        {
            Listener(ResolverResult.ForResult(RegistryFile.Read(_path)));
        }
        catch (BalancerConfigurationException e)
        {
            Listener(ResolverResult.ForFailure(new Status(StatusCode.Unavailable, e.Message)));
        }

        return Task.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        _timer?.Dispose();
        base.Dispose(disposing);
    }

    private void RefreshUnlessDisposed()
    {
        try
        {
            Refresh();
        }
        catch (ObjectDisposedException)
        {
            // Timer.Dispose does not wait for a tick already running: that tick finds the resolver gone.
        }
    }
}

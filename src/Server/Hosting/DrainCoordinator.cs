using Grpc.Health.V1;
using Grpc.HealthCheck;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Server.Hosting;

/// <summary>
/// The graceful stop, in order: on SIGTERM the instance reports NOT_SERVING at once (Check and Watch), keeps serving
/// for <see cref="ServerOptions.DrainDelay"/> so that clients watching its health move away, then tells open
/// streams to end cleanly; after that Kestrel refuses new calls (GOAWAY) and waits for in-flight unary calls.
/// The host's shutdown timeout (<see cref="ServerOptions.DrainTimeout"/>) bounds the whole of it.
/// </summary>
/// <remarks>
/// The delay runs in <see cref="StoppingAsync"/>, which the host awaits before it stops any hosted service,
/// Kestrel included. Kestrel does not cancel a call's token on shutdown (grpc-dotnet issue 2357), hence
/// <see cref="StreamsEnding"/>.
/// </remarks>
public sealed class DrainCoordinator : IHostedLifecycleService, IDisposable
{
    private readonly ServerOptions _options;
    private readonly HealthServiceImpl _health;
    private readonly CancellationTokenSource _streamsEnding = new();
    private readonly CancellationTokenRegistration _onStopping;
    private volatile bool _draining;

    public DrainCoordinator(ServerOptions options, HealthServiceImpl health, IHostApplicationLifetime lifetime)
    {
        _options = options;
        _health = health;
        _onStopping = lifetime.ApplicationStopping.Register(BeginDraining);
    }

    /// <summary>True from the moment the graceful stop began.</summary>
    public bool IsDraining => _draining;

    /// <summary>Cancelled when open streams must end: streaming calls link it with their own token.</summary>
    public CancellationToken StreamsEnding => _streamsEnding.Token;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        // On SIGTERM the host fires ApplicationStopping first; a direct StopAsync (tests, an embedding host) runs this
        // first instead. Either way the instance reports NOT_SERVING before the delay, not after it.
        BeginDraining();
        try
        {
            await Task.Delay(_options.DrainDelay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The shutdown timeout ran out during the delay: end the streams now.
        }

        await _streamsEnding.CancelAsync();
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _onStopping.Dispose();
        _streamsEnding.Dispose();
    }

    private void BeginDraining()
    {
        if (_draining)
        {
            return;
        }

        _draining = true;
        // Push NOT_SERVING to Watch streams now; Check asks DrainHealthCheck, which reads IsDraining.
        _health.SetStatus(string.Empty, HealthCheckResponse.Types.ServingStatus.NotServing);
        _health.SetStatus(LoadLab.Descriptor.FullName, HealthCheckResponse.Types.ServingStatus.NotServing);
    }
}

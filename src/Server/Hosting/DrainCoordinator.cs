using Grpc.Health.V1;
using Grpc.HealthCheck;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Metrics;

namespace GrpcLoadLab.Server.Hosting;

/// <summary>
/// The graceful stop, in order: on SIGTERM the instance reports NOT_SERVING at once (Check and Watch), keeps serving
/// for <see cref="ServerOptions.DrainDelay"/> so that clients watching its health move away, then tells open
/// streams to end cleanly and, if calls were open, keeps its connections for <see cref="StreamsEndedGrace"/> so that
/// their clients read that end; after that Kestrel refuses new calls (GOAWAY), waits for in-flight unary calls and
/// closes the connections. The host's shutdown timeout (<see cref="ServerOptions.DrainTimeout"/>) bounds the whole of it.
/// </summary>
/// <remarks>
/// The delay runs in <see cref="StoppingAsync"/>, which the host awaits before it stops any hosted service,
/// Kestrel included. Kestrel does not cancel a call's token on shutdown (grpc-dotnet issue 2357), hence
/// <see cref="StreamsEnding"/>.
/// </remarks>
public sealed class DrainCoordinator : IHostedLifecycleService, IDisposable
{
    /// <summary>
    /// How long the connections stay after open streams were told to end (a stream that arrives meanwhile is refused
    /// UNAVAILABLE; other calls are served, as before Kestrel's GOAWAY). A stream's end (its OK in the trailers) is
    /// lost if the connection closes before the client has read it while the client's own side is still open (a bidi
    /// or client stream between two sends): .NET's HTTP/2 client then drops the response it had received and reports
    /// the connection's close (Grpc.Net.Client: INTERNAL). The client's read is a thread-pool turn away: milliseconds,
    /// more on a busy machine.
    /// </summary>
    private static readonly TimeSpan StreamsEndedGrace = TimeSpan.FromSeconds(1);

    private readonly ServerOptions _options;
    private readonly HealthServiceImpl _health;
    private readonly InstanceCounters _counters;
    private readonly CancellationTokenSource _streamsEnding = new();
    private readonly CancellationTokenRegistration _onStopping;
    private volatile bool _draining;

    public DrainCoordinator(ServerOptions options, HealthServiceImpl health, InstanceCounters counters, IHostApplicationLifetime lifetime)
    {
        _options = options;
        _health = health;
        _counters = counters;
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

        var callsOpen = _counters.InFlight > 0;
        await _streamsEnding.CancelAsync();
        if (callsOpen)
        {
            try
            {
                await Task.Delay(StreamsEndedGrace, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The shutdown timeout ran out: Kestrel closes the connections now.
            }
        }
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

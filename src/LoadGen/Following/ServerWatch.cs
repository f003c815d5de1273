using Grpc.Core;
using Grpc.Net.Client;
using GrpcLoadLab.Balancer.Transport;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Following;

/// <summary>
/// One instance followed through <c>WatchStats</c>, straight to its address (not through the balancer, whose calls
/// are the load): opened asking for the seconds since the run began (or since the last one received), and opened again
/// whenever it breaks or ends (a lost connection, a drain, a restart) until the run ends. An instance that answers
/// UNIMPLEMENTED does not serve the lab's stream (any other gRPC service) and is not asked again.
/// </summary>
/// <param name="tls">The target's TLS, which the watch goes over as the calls do; null for plaintext.</param>
internal sealed class ServerWatch(string address, long runStartUnixMicros, ClientTls? tls)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);

    /// <summary>A restarted instance is followed again within a second of its return.</summary>
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(1);

    /// <summary>The most seconds an instance keeps, so the most <c>recent_seconds</c> it takes.</summary>
    private const int MostRecentSeconds = 300;

    /// <summary>
    /// Seconds the instance may complete between the count asked and its answer (a new connection on a busy machine):
    /// with one only, a fresh-clone CI run once lost an instance's second at the run's start, most likely so. The
    /// extra seconds cost a few small messages, dropped on arrival.
    /// </summary>
    private const int SecondsBeforeTheAnswer = 30;

    private readonly ServerSeries _series = new(runStartUnixMicros);
    private volatile bool _streaming;
    private int _opened;
    private string? _notFollowed;
    private string? _lastProblem;

    public string Address => address;

    /// <summary>The instance's seconds of the run received so far.</summary>
    public long Received => _series.Received;

    /// <summary>Whether a stream is delivering now and its last second ended before <paramref name="unixMicros"/>.</summary>
    public bool Behind(long unixMicros) => _streaming && _series.LastEndUnixMicros < unixMicros;

    /// <summary>Follows the instance until <paramref name="stop"/>; never throws: what went wrong is in the timeline.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        GrpcChannel channel;
        try
        {
            channel = DirectChannel.Create(address, tls);
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException)
        {
            _notFollowed = $"its address cannot be called: {e.Message}";
            return;
        }

        using (channel)
        {
            var client = new LoadLab.LoadLabClient(channel);
            var backoff = FirstBackoff;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    _opened++;
                    using var call = client.WatchStats(new WatchStatsRequest { RecentSeconds = RecentSeconds() }, cancellationToken: stop);
                    await foreach (var second in call.ResponseStream.ReadAllAsync(stop))
                    {
                        _series.Add(second);
                        _streaming = true;
                        backoff = FirstBackoff;
                    }

                    _lastProblem = "the stream ended (the instance drained)";
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
                {
                    _notFollowed = $"UNIMPLEMENTED: it does not serve lab.v1.LoadLab/WatchStats (not a lab server){Detail(e)}";
                    return;
                }
                catch (Exception e) when (stop.IsCancellationRequested && e is RpcException or OperationCanceledException)
                {
                    return;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // Any other failure (a lost connection, an instance down): opened again after a pause.
                    _lastProblem = e is RpcException rpc ? $"{rpc.StatusCode}{Detail(rpc)}" : $"{e.GetType().Name}: {e.Message}";
                }
                finally
                {
                    _streaming = false;
                }

                try
                {
                    await Task.Delay(backoff, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LongestBackoff.Ticks));
            }
        }
    }

    /// <summary>What was followed of the instance, once <see cref="RunAsync"/> has ended.</summary>
    public ServerTimeline ToTimeline(long runEndUnixMicros)
    {
        var timeline = _series.ToTimeline(address, runEndUnixMicros, _notFollowed, Math.Max(0, _opened - 1));
        return timeline.NotFollowed is null && timeline.Seconds.Count == 0 && timeline.InstanceId is null
            ? timeline with { NotFollowed = $"no second arrived: {_lastProblem ?? "the run ended before the instance's first second"}" }
            : timeline;
    }

    /// <summary>
    /// The seconds since the last one received, else since the run began, and those that may complete before the
    /// instance answers: none lost, the rest dropped as repeats or as before the run.
    /// </summary>
    private int RecentSeconds()
    {
        var from = _series.LastEndUnixMicros == long.MinValue ? runStartUnixMicros : _series.LastEndUnixMicros;
        var missed = (UnixMicros.Now - from) / 1_000_000.0;
        return (int)Math.Clamp(Math.Ceiling(missed) + SecondsBeforeTheAnswer, 1, MostRecentSeconds);
    }

    private static string Detail(RpcException e) => e.Status.Detail.Length > 0 ? $" ({e.Status.Detail})" : string.Empty;
}

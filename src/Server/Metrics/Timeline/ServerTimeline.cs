using System.Diagnostics.Metrics;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Hosting;
using GrpcLoadLab.Server.Work;

namespace GrpcLoadLab.Server.Metrics.Timeline;

/// <summary>
/// The instance's own per-second timeline: the lab's calls as <see cref="InstanceCounters"/> counts them (its
/// <see cref="CallTally"/>, and the calls in flight and queued), and a <see cref="MeterListener"/> over the runtime's and
/// Kestrel's meters; on each whole second of the wall clock the second is closed into a <see cref="ServerSecond"/> for
/// the watchers (WatchStats). It listens from its construction, before Kestrel accepts any connection, so that counts
/// and up-down counters start from the instance's start. The lab's own meter says the same as the tally, for the
/// exports; the timeline does not read it back, which would cost every call a callback per measurement and the reading
/// of its tags. Nor does it listen to ASP.NET Core's hosting meter: a listener on it makes every request build its tags
/// and record a histogram, a cost every call would pay, watched or not (docs/benchmarks.md); the lab's own counts say
/// what it said of the lab's calls.
/// </summary>
public sealed class ServerTimeline : BackgroundService
{
    public const string RuntimeMeter = "System.Runtime";
    public const string KestrelMeter = "Microsoft.AspNetCore.Server.Kestrel";
    public const string HostingMeter = "Microsoft.AspNetCore.Hosting";

    /// <summary>Every meter the exports publish: the timeline's, and ASP.NET Core's hosting meter, which only they read.</summary>
    public static readonly string[] Meters = [ServerInstruments.MeterName, RuntimeMeter, KestrelMeter, HostingMeter];

    private readonly IMeterFactory _meterFactory;
    private readonly InstanceCounters _counters;
    private readonly CallTally _calls;
    private readonly CapacityGate _gate;
    private readonly InstanceIdentity _identity;
    private readonly DrainCoordinator _drain;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _time;
    private readonly MeterListener _listener = new();
    private readonly SecondsFeed _feed = new();
    private readonly Dictionary<(string Meter, string Instrument), Aggregation> _aggregations;

    private readonly ObservedValue _cpuTime = new(cumulative: true);
    private readonly ObservedValue _gcPause = new(cumulative: true);
    private readonly ObservedValue _gcCollections = new(cumulative: true);
    private readonly ObservedValue _threadPoolThreads = new(cumulative: false);
    private readonly ObservedValue _threadPoolQueue = new(cumulative: false);
    private readonly ObservedValue _workingSet = new(cumulative: false);
    private readonly RunningTotal _activeConnections = new();
    private readonly RunningTotal _queuedConnections = new();
    private readonly RunningTotal _queuedRequests = new();
    private readonly SecondCount _rejectedConnections = new();

    private DateTimeOffset _secondStart;
    private long _index;

    public ServerTimeline(
        IMeterFactory meterFactory,
        InstanceCounters counters,
        CallTally calls,
        CapacityGate gate,
        InstanceIdentity identity,
        DrainCoordinator drain,
        IHostApplicationLifetime lifetime,
        TimeProvider time)
    {
        _meterFactory = meterFactory;
        _counters = counters;
        _calls = calls;
        _gate = gate;
        _identity = identity;
        _drain = drain;
        _lifetime = lifetime;
        _time = time;
        _aggregations = new()
        {
            [(RuntimeMeter, "dotnet.process.cpu.time")] = _cpuTime,
            [(RuntimeMeter, "dotnet.gc.pause.time")] = _gcPause,
            [(RuntimeMeter, "dotnet.gc.collections")] = _gcCollections,
            [(RuntimeMeter, "dotnet.thread_pool.thread.count")] = _threadPoolThreads,
            [(RuntimeMeter, "dotnet.thread_pool.queue.length")] = _threadPoolQueue,
            [(RuntimeMeter, "dotnet.process.memory.working_set")] = _workingSet,
            [(KestrelMeter, "kestrel.active_connections")] = _activeConnections,
            [(KestrelMeter, "kestrel.queued_connections")] = _queuedConnections,
            [(KestrelMeter, "kestrel.queued_requests")] = _queuedRequests,
            [(KestrelMeter, "kestrel.rejected_connections")] = _rejectedConnections,
        };

        _listener.InstrumentPublished = OnInstrumentPublished;
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((Aggregation)state!).Add(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((Aggregation)state!).Add(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((Aggregation)state!).Add(value, tags));
        _listener.Start();
        _secondStart = time.GetUtcNow();
        // The cumulative readings start from here: the first second does not hold the process's CPU time until now.
        _listener.RecordObservableInstruments();
        foreach (var observed in new[] { _cpuTime, _gcPause, _gcCollections, _threadPoolThreads, _threadPoolQueue, _workingSet })
        {
            observed.Take();
        }
    }

    /// <summary>Seconds the instance keeps for a watcher that asks for the recent ones.</summary>
    public static int KeptSeconds => SecondsFeed.KeptSeconds;

    /// <summary>The last <paramref name="recentSeconds"/> completed seconds, then every one completed from now on.</summary>
    internal TimelineWatch Watch(int recentSeconds) => _feed.Watch(recentSeconds);

    public override void Dispose()
    {
        _listener.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Seconds are closed once the instance serves and knows its id (one on port 0 learns it then).
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (_lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            {
                await started.Task.WaitAsync(stoppingToken);
            }

            while (true)
            {
                var now = _time.GetUtcNow();
                var nextSecond = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero).AddSeconds(1);
                await Task.Delay(nextSecond - now, _time, stoppingToken);
                _feed.Publish(Close(_time.GetUtcNow()));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        var meter = instrument.Meter;
        // Several hosts may share a process (tests): only this instance's meters, and the process-wide runtime's.
        if ((ReferenceEquals(meter.Scope, _meterFactory) || meter.Name == RuntimeMeter)
            && _aggregations.TryGetValue((meter.Name, instrument.Name), out var aggregation))
        {
            listener.EnableMeasurementEvents(instrument, aggregation);
        }
    }

    private ServerSecond Close(DateTimeOffset end)
    {
        _listener.RecordObservableInstruments();
        // Both ends in whole microseconds first: each second then starts exactly where the one before ended.
        var startMicros = UnixMicros(_secondStart);
        var inFlight = _counters.InFlight;
        var second = new ServerSecond
        {
            InstanceId = _identity.Id,
            Index = _index++,
            StartUnixMicros = startMicros,
            LengthMicros = UnixMicros(end) - startMicros,
            InFlight = inFlight,
            Queued = _gate.Queued,
            ProcessorCount = Environment.ProcessorCount,
            ActiveConnections = _activeConnections.Value,
            QueuedConnections = _queuedConnections.Value,
            QueuedRequests = _queuedRequests.Value,
            RejectedConnections = _rejectedConnections.Take(),
            ActiveRequests = inFlight + _feed.Watchers,
            Draining = _drain.IsDraining,
        };
        _calls.TakeInto(second);
        second.CpuMicros = Micros(_cpuTime.Take());
        second.GcPauseMicros = Micros(_gcPause.Take());
        second.GcCollections = (int)_gcCollections.Take();
        second.ThreadPoolThreads = (long)_threadPoolThreads.Take();
        second.ThreadPoolQueueLength = (long)_threadPoolQueue.Take();
        second.WorkingSetBytes = (long)_workingSet.Take();
        _secondStart = end;
        return second;
    }

    private static long Micros(double seconds) => (long)Math.Round(seconds * 1e6);

    private static long UnixMicros(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
}

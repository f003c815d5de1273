using System.Collections.Concurrent;
using Grpc.Core;
using GrpcLoadLab.Balancer.Tracking;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;
using HdrHistogram;

namespace GrpcLoadLab.LoadGen.Metrics;

/// <summary>
/// Everything measured about the calls that started in one phase, written lock-free by many calls at once.
/// A call belongs to the phase it started in, even when it ends in the next one.
/// </summary>
internal sealed class PhaseRecorder
{
    /// <summary>A call that starts this much after its due time counts as late.</summary>
    public const long LateAfterMicros = 1_000;

    private readonly StatusTally _byStatus = new();
    private readonly FailureTally _failures = new();
    private readonly ConcurrentDictionary<string, InstanceTally> _byInstance = new(StringComparer.Ordinal);
    private long _checkFailed;
    private long _started;
    private long _succeeded;
    private long _failed;
    private long _cancelled;
    private long _dropped;
    private long _late;
    private long _bytesSent;
    private long _bytesReceived;
    private long _messagesSent;
    private long _messagesReceived;

    public PhaseRecorder(int index, LoadPhase phase, bool openModel)
    {
        Index = index;
        Phase = phase;
        OpenModel = openModel;
        Dispatcher = openModel ? new DispatcherTally() : null;
    }

    public int Index { get; }

    public LoadPhase Phase { get; }

    public bool OpenModel { get; }

    /// <summary>When the phase began and stopped starting calls (Stopwatch readings); End is 0 while it runs.</summary>
    public long Begin { get; set; }

    public long End { get; set; }

    public HistogramBase Latency { get; } = LatencyHistogram.CreateConcurrent();

    /// <summary>Open model only: in the closed model service time is <see cref="Latency"/>.</summary>
    public HistogramBase ServiceTime { get; } = LatencyHistogram.CreateConcurrent();

    /// <summary>Service time, whichever model: what <see cref="ServiceTime"/> holds, or the latency it equals.</summary>
    private HistogramBase ServiceTimeOrLatency => OpenModel ? ServiceTime : Latency;

    public HistogramBase ScheduleLag { get; } = LatencyHistogram.CreateConcurrent();

    /// <summary>Open model only: how the machine treated the phase's dispatcher.</summary>
    public DispatcherTally? Dispatcher { get; }

    public HistogramBase FirstMessage { get; } = LatencyHistogram.CreateConcurrent();

    public HistogramBase MessageLatency { get; } = LatencyHistogram.CreateConcurrent();

    public HistogramBase InterArrival { get; } = LatencyHistogram.CreateConcurrent();

    public IReadOnlyDictionary<string, InstanceTally> ByInstance => _byInstance;

    public CallCounts Counts => new(
        Volatile.Read(ref _started),
        Volatile.Read(ref _succeeded),
        Volatile.Read(ref _failed),
        Volatile.Read(ref _cancelled),
        Volatile.Read(ref _dropped),
        Volatile.Read(ref _late));

    public void Started(long scheduled, long started)
    {
        Interlocked.Increment(ref _started);
        if (OpenModel)
        {
            var lag = Ticks.ToMicros(started - scheduled);
            ScheduleLag.RecordClamped(lag);
            if (lag > LateAfterMicros)
            {
                Interlocked.Increment(ref _late);
            }
        }
    }

    public void Dropped() => Interlocked.Increment(ref _dropped);

    public void Ended(in CallRecord call)
    {
        if (call.Mismatch is null)
        {
            _byStatus.Add(call.Status);
            if (call.Status != StatusCode.OK)
            {
                _failures.Add(StatusNames.Of(call.Status), call.Failure ?? string.Empty);
            }
        }
        else
        {
            Interlocked.Increment(ref _checkFailed);
        }

        Interlocked.Add(ref _bytesSent, call.BytesSent);
        Interlocked.Add(ref _bytesReceived, call.BytesReceived);
        Interlocked.Add(ref _messagesSent, call.MessagesSent);
        Interlocked.Add(ref _messagesReceived, call.MessagesReceived);
        if (call.FirstMessage != 0)
        {
            FirstMessage.RecordClamped(Ticks.ToMicros(call.FirstMessage - call.Started));
        }

        if (call.CancelledByRun)
        {
            Interlocked.Increment(ref _cancelled);
            return;
        }

        var latency = Ticks.ToMicros(call.Ended - call.Scheduled);
        if (call.Succeeded)
        {
            Interlocked.Increment(ref _succeeded);
            Latency.RecordClamped(latency);
            // In the closed model a call starts when due: its service time is its latency, recorded once.
            if (OpenModel)
            {
                ServiceTime.RecordClamped(Ticks.ToMicros(call.Ended - call.Started));
            }

            if (call.InstanceId is { } instance)
            {
                _byInstance.GetOrAdd(instance, static _ => new InstanceTally()).Succeeded(latency);
            }
        }
        else
        {
            Interlocked.Increment(ref _failed);
        }
    }

    public PhaseStats Stats(double seconds) => Build(seconds, Counts, _byStatus.Counted(), Volatile.Read(ref _checkFailed), [_failures.Counted()], [Latency], [ServiceTimeOrLatency], [ScheduleLag], [FirstMessage], [MessageLatency], [InterArrival], Dispatchers([this]), _bytesSent, _bytesReceived, _messagesSent, _messagesReceived);

    /// <summary>The totals of several phases: counts added, histograms merged.</summary>
    public static PhaseStats Merge(IReadOnlyList<PhaseRecorder> phases, double seconds) => Build(
        seconds,
        phases.Aggregate(CallCounts.Zero, (sum, p) => sum.Plus(p.Counts)),
        phases.SelectMany(p => p._byStatus.Counted()),
        phases.Sum(p => Volatile.Read(ref p._checkFailed)),
        [.. phases.Select(p => p._failures.Counted())],
        [.. phases.Select(p => p.Latency)],
        [.. phases.Select(p => p.ServiceTimeOrLatency)],
        [.. phases.Where(p => p.OpenModel).Select(p => p.ScheduleLag)],
        [.. phases.Select(p => p.FirstMessage)],
        [.. phases.Select(p => p.MessageLatency)],
        [.. phases.Select(p => p.InterArrival)],
        Dispatchers(phases),
        phases.Sum(p => p._bytesSent),
        phases.Sum(p => p._bytesReceived),
        phases.Sum(p => p._messagesSent),
        phases.Sum(p => p._messagesReceived));

    /// <param name="byStatus">Ended calls by status code (a code may repeat: its counts add).</param>
    /// <param name="checkFailed">Calls that ended OK with a reply that failed the call's checks.</param>
    /// <param name="failures">Each phase's failed calls' details.</param>
    private static PhaseStats Build(
        double seconds,
        CallCounts counts,
        IEnumerable<KeyValuePair<StatusCode, long>> byStatus,
        long checkFailed,
        IReadOnlyDictionary<string, StatusFailures>[] failures,
        HistogramBase[] latency,
        HistogramBase[] serviceTime,
        HistogramBase[] scheduleLag,
        HistogramBase[] firstMessage,
        HistogramBase[] messageLatency,
        HistogramBase[] interArrival,
        DispatcherTally[] dispatchers,
        long bytesSent,
        long bytesReceived,
        long messagesSent,
        long messagesReceived)
    {
        var statusCodes = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (code, count) in byStatus)
        {
            var name = StatusNames.Of(code);
            statusCodes[name] = statusCodes.GetValueOrDefault(name) + count;
        }

        if (checkFailed > 0)
        {
            statusCodes[StatusNames.CheckFailed] = checkFailed;
        }

        var ended = counts.Succeeded + counts.Failed;
        return new PhaseStats(
            Math.Round(seconds, 3),
            counts,
            seconds > 0 ? Math.Round(ended / seconds, 1) : 0,
            statusCodes,
            bytesSent,
            bytesReceived,
            messagesSent,
            messagesReceived,
            HistogramSummaries.Summarize(MergeAll(latency)),
            HistogramSummaries.Summarize(MergeAll(serviceTime)),
            scheduleLag.Length == 0 ? null : HistogramSummaries.SummarizeIfAny(MergeAll(scheduleLag)),
            HistogramSummaries.SummarizeIfAny(MergeAll(firstMessage)),
            HistogramSummaries.SummarizeIfAny(MergeAll(messageLatency)),
            HistogramSummaries.SummarizeIfAny(MergeAll(interArrival)),
            dispatchers.Length == 0 ? null : new DispatcherFigures(
                HistogramSummaries.SummarizeIfAny(MergeAll(dispatchers.Select(d => d.WakeUpLateness))),
                Math.Round(Ticks.ToSeconds(dispatchers.Sum(d => d.PacedTicks)), 3),
                Math.Round(Ticks.ToSeconds(dispatchers.Sum(d => d.RealTimeTicks)), 3),
                Ticks.ToMicros(dispatchers.Max(d => d.LongestSpinTicks))),
            StatusFailures.Sum(failures));
    }

    private static DispatcherTally[] Dispatchers(IEnumerable<PhaseRecorder> phases) => [.. phases.Select(p => p.Dispatcher).OfType<DispatcherTally>()];

    public static HistogramBase MergeAll(IEnumerable<HistogramBase> histograms)
    {
        var merged = LatencyHistogram.Create();
        foreach (var histogram in histograms)
        {
            merged.Add(histogram);
        }

        return merged;
    }
}

using System.Diagnostics;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Metrics;

/// <summary>
/// Collects a run: every call into its phase's recorder, and a one-second timeline of what started, ended and how
/// fast. Calls record from many threads at once; <see cref="CloseSecond"/> is called by one ticker thread.
/// </summary>
internal sealed class RunRecorder
{
    private readonly HdrHistogram.Recorder _secondLatency = LatencyHistogram.CreateRecorder();
    private readonly HdrHistogram.Recorder _secondLag = LatencyHistogram.CreateRecorder();
    private readonly List<TimelineSecond> _timeline = [];
    private readonly LiveMetrics? _live;
    private HdrHistogram.HistogramBase? _lastSecondLatency;
    private HdrHistogram.HistogramBase? _lastSecondLag;
    private long _inFlight;
    private long _secondStarted;
    private long _secondSucceeded;
    private long _secondFailed;
    private long _secondDropped;
    private long _totalSucceeded;
    private long _totalFailed;
    private long _totalDropped;
    private long _generatorErrors;
    private string? _firstGeneratorError;
    private string? _firstMismatch;

    /// <param name="live">The run's live metrics, recorded beside; null for none.</param>
    /// <param name="keepSecondHistograms">Whether each second keeps its whole latency histogram (agents' runs, to be merged).</param>
    public RunRecorder(Scenario scenario, long runStart, LiveMetrics? live = null, bool keepSecondHistograms = false)
    {
        _live = live;
        RunStart = runStart;
        KeepSecondHistograms = keepSecondHistograms;
        Phases = [.. scenario.Phases.Select((phase, i) => new PhaseRecorder(i, phase, phase is OpenPhase))];
    }

    public long RunStart { get; }

    public bool KeepSecondHistograms { get; }

    public IReadOnlyList<PhaseRecorder> Phases { get; }

    public IReadOnlyList<TimelineSecond> Timeline => _timeline;

    /// <summary>A C# scenario's named sub-steps, in the measured phases; empty for every other run.</summary>
    public SubStepRecorder SubSteps { get; } = new();

    public long InFlight => Volatile.Read(ref _inFlight);

    public long TotalSucceeded => Volatile.Read(ref _totalSucceeded);

    public long TotalFailed => Volatile.Read(ref _totalFailed);

    public long TotalDropped => Volatile.Read(ref _totalDropped);

    /// <summary>Calls that the generator's own code failed (an exception that is not the call's), never reaching a verdict of the servers.</summary>
    public long GeneratorErrors => Volatile.Read(ref _generatorErrors);

    /// <summary>The first of <see cref="GeneratorErrors"/>, as its type and message; null when there was none.</summary>
    public string? FirstGeneratorError => Volatile.Read(ref _firstGeneratorError);

    /// <summary>The first call's reply that failed the call's checks, as how it failed them; null when none did.</summary>
    public string? FirstMismatch => Volatile.Read(ref _firstMismatch);

    /// <summary>Counts an exception that escaped a call's own handling, and keeps the first one's text for the verdict.</summary>
    public void GeneratorFailed(Exception exception)
    {
        Interlocked.Increment(ref _generatorErrors);
        Interlocked.CompareExchange(ref _firstGeneratorError, $"{exception.GetType().Name}: {exception.Message}", null);
    }

    /// <summary>Succeeded calls so far per instance id, all phases: added up when asked, so calls take no lock for it.</summary>
    public IReadOnlyDictionary<string, long> ServedByInstance() =>
        Phases.SelectMany(p => p.ByInstance)
            .GroupBy(pair => pair.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(pair => pair.Value.SucceededCount), StringComparer.Ordinal);

    public void CallStarted(PhaseRecorder phase, long scheduled, long started)
    {
        Interlocked.Increment(ref _inFlight);
        Interlocked.Increment(ref _secondStarted);
        phase.Started(scheduled, started);
        if (phase.OpenModel)
        {
            _secondLag.RecordClamped(Ticks.ToMicros(started - scheduled));
        }

        _live?.CallStarted(phase, scheduled, started);
    }

    public void CallDropped(PhaseRecorder phase)
    {
        Interlocked.Increment(ref _secondDropped);
        Interlocked.Increment(ref _totalDropped);
        phase.Dropped();
        _live?.CallDropped(phase);
    }

    public void CallEnded(PhaseRecorder phase, in CallRecord call)
    {
        phase.Ended(call);
        if (!call.CancelledByRun)
        {
            if (call.Mismatch is { } mismatch)
            {
                Interlocked.CompareExchange(ref _firstMismatch, mismatch, null);
            }

            if (call.Succeeded)
            {
                Interlocked.Increment(ref _secondSucceeded);
                Interlocked.Increment(ref _totalSucceeded);
                _secondLatency.RecordClamped(Ticks.ToMicros(call.Ended - call.Scheduled));
            }
            else
            {
                Interlocked.Increment(ref _secondFailed);
                Interlocked.Increment(ref _totalFailed);
            }
        }

        Interlocked.Decrement(ref _inFlight);
        _live?.CallEnded(phase, call);
    }

    /// <summary>Ends the current second of the timeline and returns it.</summary>
    public TimelineSecond CloseSecond(int phase, double targetLoad, IReadOnlyDictionary<string, EndpointSecond> endpoints, GeneratorSecond generator)
    {
        // The interval histograms are recycled: a fresh one a second is 170 KB on the large-object heap, and its
        // budget triggers full collections.
        var latency = _lastSecondLatency = _secondLatency.GetIntervalHistogram(_lastSecondLatency);
        var second = new TimelineSecond(
            Second: _timeline.Count + 1,
            Phase: phase,
            TargetLoad: Math.Round(targetLoad, 2),
            Started: Interlocked.Exchange(ref _secondStarted, 0),
            Succeeded: Interlocked.Exchange(ref _secondSucceeded, 0),
            Failed: Interlocked.Exchange(ref _secondFailed, 0),
            Dropped: Interlocked.Exchange(ref _secondDropped, 0),
            InFlight: InFlight,
            P50: latency.TotalCount == 0 ? 0 : latency.GetValueAtPercentile(50),
            P90: latency.TotalCount == 0 ? 0 : latency.GetValueAtPercentile(90),
            P99: latency.TotalCount == 0 ? 0 : latency.GetValueAtPercentile(99),
            Max: latency.TotalCount == 0 ? 0 : HdrHistogram.HistogramExtensions.GetMaxValue(latency),
            endpoints,
            generator,
            EndSeconds: Math.Round(ElapsedSeconds, 3),
            Histogram: KeepSecondHistograms ? HistogramCodec.Encode(latency) : null);
        _timeline.Add(second);
        return second;
    }

    /// <summary>p99 of how late calls started since the last call of this method, in microseconds (open model).</summary>
    public long TakeScheduleLagP99()
    {
        var lag = _lastSecondLag = _secondLag.GetIntervalHistogram(_lastSecondLag);
        return lag.TotalCount == 0 ? 0 : lag.GetValueAtPercentile(99);
    }

    public double SecondsSinceStart(long timestamp) => Ticks.ToSeconds(timestamp - RunStart);

    public double ElapsedSeconds => SecondsSinceStart(Stopwatch.GetTimestamp());
}

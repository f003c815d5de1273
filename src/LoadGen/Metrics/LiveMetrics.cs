using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Metrics;

/// <summary>
/// The run's live metrics on a .NET meter, <c>GrpcLoadLab.LoadGen</c>, as the calls happen: calls started, calls
/// ended by outcome and status, calls in flight, schedule lag and latency. Any listener may read them (the OTLP export
/// of <see cref="LiveExport"/>, <c>dotnet-counters</c>); in a run that nobody listens to, a record finds no
/// subscriber, or checks <see cref="Instrument.Enabled"/> before it builds a tag list, and costs a few nanoseconds.
/// </summary>
/// <remarks>
/// Every measurement carries its phase (index and name, as <c>result.json</c> numbers them) and the method; what is
/// the same for the whole run (scenario, run id) is the export's resource, not repeated on every measurement.
/// </remarks>
internal sealed class LiveMetrics : IDisposable
{
    public const string MeterName = "GrpcLoadLab.LoadGen";
    public const string StartedName = "lab.loadgen.calls.started";
    public const string CallsName = "lab.loadgen.calls";
    public const string ActiveCallsName = "lab.loadgen.active_calls";
    public const string DurationName = "lab.loadgen.call.duration";
    public const string ScheduleLagName = "lab.loadgen.schedule_lag";

    public const string PhaseTag = "lab.phase";
    public const string PhaseNameTag = "lab.phase.name";
    public const string MethodTag = "rpc.method";
    public const string OutcomeTag = "lab.call.outcome";
    public const string StatusTag = "rpc.grpc.status_code";

    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Dropped = "dropped";

    /// <summary>gRPC's status codes, boxed once: a tag's value is an object, and a box per call would be garbage.</summary>
    private static readonly object[] StatusValues = [.. Enumerable.Range(0, Enum.GetValues<StatusCode>().Max(c => (int)c) + 1).Select(code => (object)code)];

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _started;
    private readonly Counter<long> _calls;
    private readonly UpDownCounter<long> _active;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _scheduleLag;
    private readonly KeyValuePair<string, object?>[][] _phaseTags;

    public LiveMetrics(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _started = _meter.CreateCounter<long>(StartedName, "{call}", "Calls started.");
        _calls = _meter.CreateCounter<long>(CallsName, "{call}", "Calls that ended (completed, failed, cancelled by the run) or were dropped, by gRPC status.");
        _active = _meter.CreateUpDownCounter<long>(ActiveCallsName, "{call}", "Calls in flight.");
        _duration = _meter.CreateHistogram<double>(DurationName, "s", "Latency of each ended call: from its due time (open model) or its start (closed model) to its end.");
        _scheduleLag = _meter.CreateHistogram<double>(ScheduleLagName, "s", "Open model: how late each call started after its due time.");
        var method = scenario.Call.Method ?? $"{LoadLab.Descriptor.FullName}/{scenario.Call.Kind}";
        _phaseTags = [.. scenario.Phases.Select((phase, index) => new KeyValuePair<string, object?>[]
        {
            new(PhaseTag, index),
            new(PhaseNameTag, phase.DisplayName),
            new(MethodTag, method),
        })];
    }

    public void CallStarted(PhaseRecorder phase, long scheduled, long started)
    {
        var tags = _phaseTags[phase.Index];
        _started.Add(1, tags);
        _active.Add(1, tags);
        if (phase.OpenModel && _scheduleLag.Enabled)
        {
            _scheduleLag.Record(Seconds(started - scheduled), tags);
        }
    }

    public void CallDropped(PhaseRecorder phase)
    {
        if (_calls.Enabled)
        {
            _calls.Add(1, new TagList(_phaseTags[phase.Index]) { { OutcomeTag, Dropped } });
        }
    }

    public void CallEnded(PhaseRecorder phase, in CallRecord call)
    {
        var phaseTags = _phaseTags[phase.Index];
        _active.Add(-1, phaseTags);
        if (call.CancelledByRun)
        {
            if (_calls.Enabled)
            {
                _calls.Add(1, new TagList(phaseTags) { { OutcomeTag, Cancelled } });
            }

            return;
        }

        var status = Status(call.Status);
        if (_calls.Enabled)
        {
            _calls.Add(1, new TagList(phaseTags) { { OutcomeTag, call.Status == StatusCode.OK ? Completed : Failed }, { StatusTag, status } });
        }

        if (_duration.Enabled)
        {
            _duration.Record(Seconds(call.Ended - call.Scheduled), new TagList(phaseTags) { { StatusTag, status } });
        }
    }

    public void Dispose() => _meter.Dispose();

    /// <summary>The same whole microseconds, clamped alike, as the run's HdrHistograms hold, in the seconds OpenTelemetry measures time in.</summary>
    private static double Seconds(long stopwatchTicks) =>
        Math.Clamp(Ticks.ToMicros(stopwatchTicks), LatencyHistogram.LowestMicros, LatencyHistogram.HighestMicros) / 1e6;

    private static object Status(StatusCode code) => (uint)code < (uint)StatusValues.Length ? StatusValues[(int)code] : (int)code;
}

using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using GrpcLoadLab.Server.Work;

namespace GrpcLoadLab.Server.Metrics;

/// <summary>
/// The <c>GrpcLoadLab.Server</c> meter: the lab's own calls, as instruments that the instance's timeline, a Prometheus
/// scrape and an OTLP export read alike. grpc-dotnet publishes no <c>grpc.server.*</c> metrics (grpc-dotnet #2480), so
/// the lab counts its calls itself. <see cref="InstanceCounters"/> records here and in its own counters at one place,
/// so GetStats and the meter agree.
/// </summary>
public sealed class ServerInstruments
{
    public const string MeterName = "GrpcLoadLab.Server";

    public const string ActiveCallsName = "lab.server.active_calls";
    public const string QueuedCallsName = "lab.server.queued_calls";
    public const string CallsName = "lab.server.calls";
    public const string CallDurationName = "lab.server.call.duration";

    /// <summary>unary, server_stream, client_stream, bidi.</summary>
    public const string KindTag = "lab.call.kind";

    /// <summary>completed, failed, cancelled, rejected (capacity) or fault_failed (SetFault).</summary>
    public const string OutcomeTag = "lab.call.outcome";

    /// <summary>The status the call ended with, as OpenTelemetry's RPC conventions name it: a number, 0 for OK.</summary>
    public const string StatusTag = "rpc.grpc.status_code";

    public const string Rejected = "rejected";
    public const string FaultFailed = "fault_failed";

    /// <summary>The <see cref="KindTag"/> values, indexed by <see cref="CallKind"/>.</summary>
    internal static readonly string[] KindNames = ["unary", "server_stream", "client_stream", "bidi"];

    /// <summary>The <see cref="OutcomeTag"/> values of admitted calls, indexed by <see cref="CallOutcome"/>.</summary>
    internal static readonly string[] OutcomeNames = ["completed", "failed", "cancelled"];

    // Boxed once: a tag's value is an object, and a call must not allocate one to be counted.
    private static readonly object[] StatusValues = [.. Enumerable.Range(0, 17).Select(code => (object)code)];

    private readonly UpDownCounter<long> _activeCalls;
    private readonly Counter<long> _calls;
    private readonly Histogram<double> _callDuration;

    public ServerInstruments(IMeterFactory meters, CapacityGate gate)
    {
        var meter = meters.Create(MeterName);
        _activeCalls = meter.CreateUpDownCounter<long>(
            ActiveCallsName, "{call}", "Calls admitted and not yet ended: doing work, or waiting for a capacity slot.");
        meter.CreateObservableUpDownCounter(
            QueuedCallsName, () => gate.Queued, "{call}", "Of the active calls, those waiting for a capacity slot.");
        _calls = meter.CreateCounter<long>(
            CallsName, "{call}", "Calls ended, by kind, outcome and status; rejected and fault-failed calls are counted here only.");
        _callDuration = meter.CreateHistogram<double>(
            CallDurationName,
            "s",
            "Server-side duration of an admitted call, from admission (capacity queueing included) to its end.",
            tags: null,
            advice: new InstrumentAdvice<double>
            {
                // OpenTelemetry's advice for rpc.server.call.duration: 5 ms to 10 s.
                HistogramBucketBoundaries = [0, 0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
            });
    }

    internal void CallStarted(CallKind kind) => _activeCalls.Add(1, new KeyValuePair<string, object?>(KindTag, KindNames[(int)kind]));

    /// <param name="seconds">The call's server-side duration.</param>
    internal void CallEnded(CallKind kind, CallOutcome outcome, StatusCode status, double seconds)
    {
        var kindName = KindNames[(int)kind];
        _activeCalls.Add(-1, new KeyValuePair<string, object?>(KindTag, kindName));
        var tags = new TagList
        {
            { KindTag, kindName },
            { OutcomeTag, OutcomeNames[(int)outcome] },
            { StatusTag, StatusValues[(int)status] },
        };
        _calls.Add(1, tags);
        _callDuration.Record(seconds, tags);
    }

    /// <summary>A call that never began its work: refused for capacity, or failed on purpose by a fault.</summary>
    internal void CallRefused(CallKind kind, string outcome, StatusCode status) => _calls.Add(1, new TagList
    {
        { KindTag, KindNames[(int)kind] },
        { OutcomeTag, outcome },
        { StatusTag, StatusValues[(int)status] },
    });

    /// <summary>A call refused for capacity had counted as active while it waited for a slot.</summary>
    internal void QueuedCallRefused(CallKind kind) =>
        _activeCalls.Add(-1, new KeyValuePair<string, object?>(KindTag, KindNames[(int)kind]));
}

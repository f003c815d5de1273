using Grpc.Core;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Following;

/// <summary>
/// The seconds one instance sent, kept as the result's records: only those that overlap the run, each once (a stream
/// opened again sends recent seconds a second time), at most <see cref="ServerTimeline.MostSeconds"/>, with the
/// indexes that never arrived recorded as gaps. An instance restarted in the run starts again at index 0, after
/// the last second of its former process: that is a new process, not a repeat. Written by one stream's reader at a
/// time; <see cref="LastEndUnixMicros"/> may be read from any thread.
/// </summary>
internal sealed class ServerSeries(long runStartUnixMicros)
{
    private static readonly (CallKind Kind, Func<ServerSecond, CallKindSecond?> Of)[] Kinds =
    [
        (CallKind.Unary, s => s.Unary),
        (CallKind.ServerStream, s => s.ServerStream),
        (CallKind.ClientStream, s => s.ClientStream),
        (CallKind.Bidi, s => s.Bidi),
    ];

    private readonly List<ServerTimelineSecond> _seconds = [];
    private readonly List<ServerTimelineGap> _gaps = [];
    private long _lastIndex = -1;
    private long _lastEnd = long.MinValue;
    private long _notKept;
    private long _received;

    /// <summary>The id the instance's seconds named; null before the first.</summary>
    public string? InstanceId { get; private set; }

    /// <summary>The seconds of the run taken so far, each once (kept or not).</summary>
    public long Received => Volatile.Read(ref _received);

    /// <summary>Where the last second received ended (Unix epoch, µs); <see cref="long.MinValue"/> before the first.</summary>
    public long LastEndUnixMicros => Volatile.Read(ref _lastEnd);

    /// <summary>Takes one second as the instance sent it.</summary>
    public void Add(ServerSecond second)
    {
        var start = second.StartUnixMicros;
        var end = start + second.LengthMicros;
        if (end <= runStartUnixMicros || start < _lastEnd)
        {
            // Before the run, or received already: each second starts exactly where the one before it ended.
            return;
        }

        if (_lastIndex >= 0 && second.Index > _lastIndex + 1)
        {
            Gap(new ServerTimelineGap(_lastIndex + 1, second.Index - 1, Seconds(_lastEnd), Seconds(start)));
        }

        _lastIndex = second.Index;
        Volatile.Write(ref _lastEnd, end);
        Interlocked.Increment(ref _received);
        InstanceId = second.InstanceId.Length > 0 ? second.InstanceId : InstanceId;
        if (_seconds.Count < ServerTimeline.MostSeconds)
        {
            _seconds.Add(Record(second));
        }
        else
        {
            _notKept++;
        }
    }

    /// <summary>The instance's timeline: its seconds that began before <paramref name="runEndUnixMicros"/>.</summary>
    public ServerTimeline ToTimeline(string address, long runEndUnixMicros, string? notFollowed, int reopened)
    {
        var runEnd = Seconds(runEndUnixMicros);
        return new ServerTimeline(address, InstanceId, notFollowed, [.. _seconds.Where(s => s.StartSeconds < runEnd)], [.. _gaps], reopened, _notKept);
    }

    private void Gap(ServerTimelineGap gap)
    {
        if (_gaps.Count < ServerTimeline.MostGaps)
        {
            _gaps.Add(gap);
        }
        else
        {
            _gaps[^1] = _gaps[^1] with { ToIndex = gap.ToIndex, ToSeconds = gap.ToSeconds };
        }
    }

    private double Seconds(long unixMicros) => Math.Round((unixMicros - runStartUnixMicros) / 1e6, 6);

    private ServerTimelineSecond Record(ServerSecond s) => new(
        s.Index,
        Seconds(s.StartUnixMicros),
        Math.Round(s.LengthMicros / 1e6, 6),
        s.InFlight,
        s.Queued,
        s.Rejected,
        s.FaultsFailed,
        Kinds.Select(k => (k.Kind, Calls: k.Of(s)))
            .Where(k => k.Calls is { } c && c.Completed + c.Failed + c.Cancelled > 0)
            .ToDictionary(k => Spellings.CallKind.Name(k.Kind), k => new ServerCallCounts(k.Calls!.Completed, k.Calls.Failed, k.Calls.Cancelled)),
        s.FailuresByStatus.ToDictionary(f => StatusNames.Of((StatusCode)f.Key), f => f.Value),
        s.CallDuration is { Count: > 0 } d ? new ServerDuration(d.Count, d.TotalMicros, d.MaxMicros, d.P50Micros, d.P90Micros, d.P99Micros, Convert.ToBase64String(d.Histogram.Span)) : null,
        s.CpuMicros,
        s.ProcessorCount,
        s.GcPauseMicros,
        s.GcCollections,
        s.ThreadPoolThreads,
        s.ThreadPoolQueueLength,
        s.WorkingSetBytes,
        s.ActiveConnections,
        s.QueuedConnections,
        s.QueuedRequests,
        s.RejectedConnections,
        s.ActiveRequests,
        s.Draining);
}

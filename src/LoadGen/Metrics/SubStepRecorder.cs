using System.Collections.Concurrent;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Metrics;

/// <summary>
/// The named sub-steps of a C# scenario's step, each with its own counts and latency histogram, written lock-free by
/// many steps at once. A step without sub-steps leaves it empty.
/// </summary>
internal sealed class SubStepRecorder
{
    private readonly ConcurrentDictionary<string, Tally> _byName = new(StringComparer.Ordinal);

    /// <summary>Records a sub-step that ran from <paramref name="started"/> to <paramref name="ended"/> (Stopwatch readings).</summary>
    public void Ended(string name, long started, long ended, bool succeeded)
    {
        var tally = _byName.GetOrAdd(name, static _ => new Tally());
        if (succeeded)
        {
            Interlocked.Increment(ref tally.Succeeded);
            tally.Latency.RecordClamped(Ticks.ToMicros(ended - started));
        }
        else
        {
            Interlocked.Increment(ref tally.Failed);
        }
    }

    /// <summary>Each sub-step's figures, by name.</summary>
    public IReadOnlyList<SubStepResult> Results() =>
        [.. _byName.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => new SubStepResult(
            pair.Key,
            Volatile.Read(ref pair.Value.Succeeded),
            Volatile.Read(ref pair.Value.Failed),
            HistogramSummaries.Summarize(pair.Value.Latency)))];

    private sealed class Tally
    {
        public long Succeeded;
        public long Failed;

        public HdrHistogram.HistogramBase Latency { get; } = LatencyHistogram.CreateConcurrent();
    }
}

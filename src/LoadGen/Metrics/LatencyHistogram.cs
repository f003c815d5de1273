using HdrHistogram;

namespace GrpcLoadLab.LoadGen.Metrics;

/// <summary>
/// The one histogram shape of the lab: microseconds from 1 µs to 10 minutes at 3 significant digits, so any
/// percentile can be read later and histograms of different runs merge.
/// </summary>
internal static class LatencyHistogram
{
    public const long LowestMicros = 1;
    public const long HighestMicros = 600_000_000;
    public const int SignificantDigits = 3;

    /// <summary>Safe for many writers at once.</summary>
    public static HistogramBase CreateConcurrent() => new LongConcurrentHistogram(LowestMicros, HighestMicros, SignificantDigits);

    public static HistogramBase Create() => new LongHistogram(LowestMicros, HighestMicros, SignificantDigits);

    /// <summary>
    /// An interval recorder: writers record, one reader takes a stable histogram of each interval. HdrHistogram's
    /// recorder guards only the swap of intervals; many writers at once need a concurrent histogram behind it, or
    /// increments that meet are lost.
    /// </summary>
    public static Recorder CreateRecorder() =>
        new(LowestMicros, HighestMicros, SignificantDigits, (id, low, high, digits) => new LongConcurrentHistogram(id, low, high, digits));

    /// <summary>Records a value, clamped into the trackable range (a call longer than 10 minutes counts as 10 minutes).</summary>
    public static void RecordClamped(this HistogramBase histogram, long micros) =>
        histogram.RecordValue(Math.Clamp(micros, LowestMicros, HighestMicros));

    /// <inheritdoc cref="RecordClamped(HistogramBase, long)"/>
    public static void RecordClamped(this Recorder recorder, long micros) =>
        recorder.RecordValue(Math.Clamp(micros, LowestMicros, HighestMicros));
}

using Google.Protobuf;
using GrpcLoadLab.Contracts;
using HdrHistogram;
using HdrHistogram.Utilities;

namespace GrpcLoadLab.Server.Metrics.Timeline;

/// <summary>
/// A histogram instrument's durations (in seconds) within the current second, in an HdrHistogram of microseconds of the
/// lab's one shape (1 µs to 10 min, 3 significant digits, as the load generator's), so that the load generator can
/// merge the seconds of every instance and read any percentile later. An interval recorder swaps the histogram each
/// second without stopping the writers; its histograms are concurrent ones, since every call records from its own
/// thread (a plain LongHistogram loses counts to racing increments).
/// </summary>
internal sealed class DurationAggregation : Aggregation
{
    private const long HighestMicros = 600_000_000;
    private const int SignificantDigits = 3;

    private readonly Recorder _recorder = new(1, HighestMicros, SignificantDigits, (id, low, high, digits) => new LongConcurrentHistogram(id, low, high, digits));
    private HistogramBase? _recycled;
    private long _totalMicros;

    public DurationSecond Take()
    {
        var histogram = _recorder.GetIntervalHistogram(_recycled);
        _recycled = histogram;
        var second = new DurationSecond
        {
            Count = histogram.TotalCount,
            TotalMicros = Interlocked.Exchange(ref _totalMicros, 0),
        };
        if (histogram.TotalCount > 0)
        {
            second.MaxMicros = histogram.GetMaxValue();
            second.P50Micros = histogram.GetValueAtPercentile(50);
            second.P90Micros = histogram.GetValueAtPercentile(90);
            second.P99Micros = histogram.GetValueAtPercentile(99);
            second.Histogram = Encode(histogram);
        }

        return second;
    }

    public override void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // A duration beyond the histogram's range counts as its largest value; a negative one (a clock step) as zero.
        var micros = Math.Clamp((long)Math.Round(value * 1e6), 0, HighestMicros);
        Interlocked.Add(ref _totalMicros, micros);
        _recorder.RecordValue(micros);
    }

    public override void Add(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Add((double)value, tags);

    /// <summary>HdrHistogram's standard compressed encoding: the cookie and length header, then the payload it announces.</summary>
    private static ByteString Encode(HistogramBase histogram)
    {
        var buffer = ByteBuffer.Allocate(histogram.GetNeededByteBufferCapacity());
        HistogramEncoding.EncodeIntoCompressedByteBuffer(histogram, buffer);
        buffer.Position = 4;
        var length = 8 + buffer.GetInt();
        buffer.Position = 0;
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = buffer.Get();
        }

        return ByteString.CopyFrom(bytes);
    }
}

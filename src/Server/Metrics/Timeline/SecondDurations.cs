using Google.Protobuf;
using GrpcLoadLab.Contracts;
using HdrHistogram;
using HdrHistogram.Utilities;

namespace GrpcLoadLab.Server.Metrics.Timeline;

/// <summary>
/// Durations within the current second, in an HdrHistogram of microseconds of the lab's one shape (1 µs to 10 min,
/// 3 significant digits, as the load generator's), so that the load generator can merge the seconds of every instance
/// and read any percentile later. Each stripe (<see cref="Stripes"/>) records into a plain histogram of its own behind
/// its own lock, which a writer finds free unless a thread of the same core holds it: one uncontended lock a duration,
/// where a shared concurrent histogram behind an interval recorder took seven atomic operations on lines every core
/// writes. Closing the second swaps each stripe's histogram for its spare under the lock, and merges outside it.
/// </summary>
internal sealed class SecondDurations
{
    public const long HighestMicros = 600_000_000;
    private const int SignificantDigits = 3;
    private static readonly int EncodingCapacity = NewHistogram().GetNeededByteBufferCapacity();

    private readonly Stripe[] _stripes = [.. Enumerable.Range(0, Stripes.Count).Select(_ => new Stripe())];
    private readonly LongHistogram _second = NewHistogram();

    // Where each second is encoded, kept: a fresh buffer of the size a histogram of this shape needs (about 170 KB)
    // every second is an allocation on the large-object heap, whose budget triggers full collections.
    private readonly ByteBuffer _encoding = ByteBuffer.Allocate(EncodingCapacity);

    /// <summary>Records one duration; a duration beyond the histogram's range counts as its largest value, a negative one (a clock step) as zero.</summary>
    public void Record(long micros)
    {
        micros = Math.Clamp(micros, 0, HighestMicros);
        var stripe = _stripes[Stripes.Current];
        lock (stripe.Lock)
        {
            stripe.Recording.RecordValue(micros);
            stripe.TotalMicros += micros;
        }
    }

    /// <summary>The second's durations, after which the next second starts empty. Called by one thread at a time.</summary>
    public DurationSecond Take()
    {
        _second.Reset();
        long totalMicros = 0;
        foreach (var stripe in _stripes)
        {
            HistogramBase recorded;
            lock (stripe.Lock)
            {
                recorded = stripe.Recording;
                stripe.Recording = stripe.Spare;
                stripe.Spare = recorded;
                totalMicros += stripe.TotalMicros;
                stripe.TotalMicros = 0;
            }

            _second.Add(recorded);
            recorded.Reset();
        }

        var second = new DurationSecond { Count = _second.TotalCount, TotalMicros = totalMicros };
        if (_second.TotalCount > 0)
        {
            second.MaxMicros = _second.GetMaxValue();
            second.P50Micros = _second.GetValueAtPercentile(50);
            second.P90Micros = _second.GetValueAtPercentile(90);
            second.P99Micros = _second.GetValueAtPercentile(99);
            second.Histogram = Encode(_second, _encoding);
        }

        return second;
    }

    /// <summary>A duration in seconds (as a meter records it) in whole microseconds.</summary>
    public static long Micros(double seconds) => (long)Math.Round(seconds * 1e6);

    private static LongHistogram NewHistogram() => new(1, HighestMicros, SignificantDigits);

    /// <summary>HdrHistogram's standard compressed encoding: the cookie and length header, then the payload it announces.</summary>
    internal static ByteString Encode(HistogramBase histogram) => Encode(histogram, ByteBuffer.Allocate(histogram.GetNeededByteBufferCapacity()));

    /// <param name="buffer">Large enough for <paramref name="histogram"/>'s shape; written from its start.</param>
    private static ByteString Encode(HistogramBase histogram, ByteBuffer buffer)
    {
        buffer.Position = 0;
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

    /// <summary>One stripe's histograms: the one recorded into, and the spare that <see cref="Take"/> swaps in.</summary>
    private sealed class Stripe
    {
        public readonly Lock Lock = new();
        public HistogramBase Recording = NewHistogram();
        public HistogramBase Spare = NewHistogram();
        public long TotalMicros;
    }
}

using System.Buffers.Binary;
using System.IO.Compression;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Results;
using HdrHistogram;

namespace GrpcLoadLab.LoadGen.Tests.Results;

/// <summary>
/// The encoded histograms of result.json read back whole at any size (a run of 20,000 streams once wrote an
/// inter-arrival histogram that its own report then called damaged), and a damaged frame is refused as one
/// <see cref="FormatException"/>, never sized by what it claims.
/// </summary>
public class HistogramCodecTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(300)]
    [InlineData(3_000)]
    [InlineData(30_000)]
    public void A_histogram_reads_back_count_for_count_however_many_distinct_values_it_holds(int distinctValues)
    {
        var written = Spread(distinctValues);

        var read = HistogramCodec.Decode(HistogramCodec.Encode(written));

        Assert.Equal(written.TotalCount, read.TotalCount);
        Assert.Equal(written.GetMaxValue(), read.GetMaxValue());
        Assert.Equal(
            written.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)),
            read.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)));
    }

    [Fact]
    public void The_widest_case_above_holds_more_payload_than_one_read_of_an_inflater_returns()
    {
        // What made the library's own decoding fail: its payload came from a single Stream.Read.
        var frame = Convert.FromBase64String(HistogramCodec.Encode(Spread(30_000)));
        using var inflater = new ZLibStream(new MemoryStream(frame, 8, frame.Length - 8), CompressionMode.Decompress);
        var header = new byte[40];
        inflater.ReadExactly(header);
        var payloadLength = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));

        var firstRead = inflater.Read(new byte[payloadLength], 0, payloadLength);

        Assert.True(firstRead < payloadLength, $"one read returned the whole payload of {payloadLength} bytes");
    }

    [Fact]
    public void A_frame_whose_inflated_payload_falls_short_of_what_it_announces_is_refused_as_not_a_histogram()
    {
        var frame = Frame(Plain(Spread(300), announcedPayload: null, cutPayloadBy: 10));

        var e = Assert.Throws<FormatException>(() => HistogramCodec.Decode(Convert.ToBase64String(frame)));
        Assert.StartsWith("not an encoded HdrHistogram", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void A_frame_that_announces_an_impossible_payload_is_refused_before_anything_is_sized_by_it(int announced)
    {
        var frame = Frame(Plain(Spread(3), announced, cutPayloadBy: 0));

        var e = Assert.Throws<FormatException>(() => HistogramCodec.Decode(Convert.ToBase64String(frame)));
        Assert.Contains($"a payload of {announced} bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_frame_cut_short_is_refused_by_its_length_before_it_is_inflated()
    {
        var encoded = Convert.FromBase64String(HistogramCodec.Encode(Spread(300)));

        var e = Assert.Throws<FormatException>(() => HistogramCodec.Decode(Convert.ToBase64String(encoded[..^1])));
        Assert.StartsWith("not an encoded HdrHistogram (cut short or padded", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The lab's latency histogram holding <paramref name="distinctValues"/> values spread evenly in log scale over its
    /// whole range, each with a count drawn at random (seeded): counts that vary compress as a real run's do, not to nothing.
    /// </summary>
    private static HistogramBase Spread(int distinctValues)
    {
        var histogram = LatencyHistogram.Create();
        var counts = new Random(distinctValues);
        var highest = Math.Log(histogram.HighestTrackableValue);
        for (var i = 0; i < distinctValues; i++)
        {
            var value = (long)Math.Exp(highest * i / Math.Max(1, distinctValues - 1));
            histogram.RecordValueWithCount(Math.Max(1, value), counts.Next(1, 100_000));
        }

        return histogram;
    }

    /// <summary>The plain encoding inside <paramref name="histogram"/>'s frame, its announced length replaced or its payload cut.</summary>
    private static byte[] Plain(HistogramBase histogram, int? announcedPayload, int cutPayloadBy)
    {
        var frame = Convert.FromBase64String(HistogramCodec.Encode(histogram));
        using var inflater = new ZLibStream(new MemoryStream(frame, 8, frame.Length - 8), CompressionMode.Decompress);
        var header = new byte[40];
        inflater.ReadExactly(header);
        var payload = new byte[BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4))];
        inflater.ReadExactly(payload);
        if (announcedPayload is { } announced)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), announced);
        }

        return [.. header, .. payload[..^cutPayloadBy]];
    }

    /// <summary>A compressed frame around <paramref name="plain"/>, as HdrHistogram writes one: cookie, length, zlib.</summary>
    private static byte[] Frame(byte[] plain)
    {
        using var compressed = new MemoryStream();
        using (var deflater = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflater.Write(plain);
        }

        var frame = new byte[8 + compressed.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, 0x1c849314);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), (int)compressed.Length);
        compressed.ToArray().CopyTo(frame, 8);
        return frame;
    }
}

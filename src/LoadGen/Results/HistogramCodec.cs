using System.Buffers.Binary;
using System.IO.Compression;
using HdrHistogram;
using HdrHistogram.Utilities;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// HdrHistogram's standard compressed encoding as base64 (the "HISTF..." strings other HdrHistogram tools read).
/// </summary>
public static class HistogramCodec
{
    /// <summary>Cookie (4 bytes) and compressed length (4 bytes) precede the compressed payload.</summary>
    private const int HeaderBytes = 8;

    /// <summary>HdrHistogram's cookie of a compressed histogram (V2), its low byte aside (word size and flags).</summary>
    private const int CompressedCookie = 0x1c849300;

    private const int CookieMask = unchecked((int)0xffffff00);

    private const string NotAHistogram = "not an encoded HdrHistogram";

    /// <summary>The plain (inflated) V2 encoding's header: cookie, payload length, offset, digits, lowest, highest, ratio.</summary>
    private const int PlainHeaderBytes = 40;

    /// <summary>
    /// The most payload a frame may announce. The lab's histograms (1 µs to 10 min, 3 digits) need at most 172 KB
    /// inflated; the bound keeps a damaged or hostile length from sizing an allocation.
    /// </summary>
    private const int MaxPayloadBytes = 64 * 1024 * 1024;

    public static string Encode(HistogramBase histogram)
    {
        var buffer = ByteBuffer.Allocate(histogram.GetNeededByteBufferCapacity());
        HistogramEncoding.EncodeIntoCompressedByteBuffer(histogram, buffer);
        // The buffer is sized for the worst case: keep only the header and the payload it announces.
        buffer.Position = 4;
        var length = HeaderBytes + buffer.GetInt();
        buffer.Position = 0;
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = buffer.Get();
        }

        return Convert.ToBase64String(bytes);
    }

    /// <summary>
    /// What is wrong with the frame of <paramref name="encoded"/> without decoding it — base64, the compressed
    /// encoding's cookie and the payload length it announces — or null when the frame is whole.
    /// </summary>
    public static string? FrameProblem(string encoded)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            return "not base64";
        }

        return FrameProblem(bytes);
    }

    /// <summary>The histogram <paramref name="encoded"/> holds.</summary>
    /// <exception cref="FormatException">Not base64, or not an encoded HdrHistogram: one message whatever the library threw.</exception>
    public static HistogramBase Decode(string encoded)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            throw new FormatException("not base64");
        }

        if (FrameProblem(bytes) is { } problem)
        {
            // Every damaged frame reads as not a histogram, as one the library refuses does, and says why.
            throw new FormatException(problem.StartsWith(NotAHistogram, StringComparison.Ordinal) ? problem : $"{NotAHistogram} ({problem})");
        }

        try
        {
            return HistogramEncoding.DecodeFromByteBuffer(ByteBuffer.Allocate(Inflate(bytes)), 0, decompressor: null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The library reads a damaged payload with whatever its decoder meets (index, argument, overflow,
            // zlib errors), so every failure is one: the bytes are not a histogram.
            throw new FormatException($"{NotAHistogram} ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")})", e);
        }
    }

    private static string? FrameProblem(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < HeaderBytes)
        {
            return "too short for an encoded HdrHistogram";
        }

        var cookie = BinaryPrimitives.ReadInt32BigEndian(frame);
        var length = BinaryPrimitives.ReadInt32BigEndian(frame[4..]);
        return (cookie & CookieMask) != CompressedCookie ? $"{NotAHistogram} (its cookie)"
            : length != frame.Length - HeaderBytes ? $"cut short or padded: it announces {length} bytes of payload and holds {frame.Length - HeaderBytes}"
            : null;
    }

    /// <summary>
    /// The plain encoding inside a compressed frame: its header and the payload the header announces, no more.
    /// HdrHistogram.NET's own compressed decoding takes the payload from a single <see cref="Stream.Read(byte[], int, int)"/>,
    /// and a <see cref="DeflateStream"/> (since .NET 6) returns from one read what one 8 KiB block of its compressed
    /// input inflates to: a histogram of many distinct values (a frame over some 8 KiB, as 20,000 streams'
    /// inter-arrival times make) read as damaged. Here the payload is read in full.
    /// </summary>
    /// <param name="frame">A whole frame (<see cref="FrameProblem(ReadOnlySpan{byte})"/> found nothing wrong).</param>
    private static byte[] Inflate(byte[] frame)
    {
        // The compressed contents are zlib's (RFC 1950): deflate behind a two-byte header.
        using var inflater = new ZLibStream(new MemoryStream(frame, HeaderBytes, frame.Length - HeaderBytes), CompressionMode.Decompress);
        var header = new byte[PlainHeaderBytes];
        inflater.ReadExactly(header);
        var payloadLength = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        if (payloadLength is < 0 or > MaxPayloadBytes)
        {
            throw new InvalidDataException($"a payload of {payloadLength} bytes (at most {MaxPayloadBytes})");
        }

        var plain = new byte[PlainHeaderBytes + payloadLength];
        header.CopyTo(plain, 0);
        inflater.ReadExactly(plain.AsSpan(PlainHeaderBytes));
        return plain;
    }
}

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

        if (bytes.Length < HeaderBytes)
        {
            return "too short for an encoded HdrHistogram";
        }

        var cookie = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes);
        var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        return (cookie & CookieMask) != CompressedCookie ? "not an encoded HdrHistogram (its cookie)"
            : length != bytes.Length - HeaderBytes ? $"cut short or padded: it announces {length} bytes of payload and holds {bytes.Length - HeaderBytes}"
            : null;
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

        try
        {
            return HistogramEncoding.DecodeFromCompressedByteBuffer(ByteBuffer.Allocate(bytes), 0);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The library reads a damaged payload with whatever its decoder meets (index, argument, overflow,
            // zlib errors), so every failure is one: the bytes are not a histogram.
            throw new FormatException($"not an encoded HdrHistogram ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")})", e);
        }
    }
}

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

using HdrHistogram;
using HdrHistogram.Utilities;

namespace GrpcLoadLab.LoadGen.Metrics;

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

    public static HistogramBase Decode(string encoded) =>
        HistogramEncoding.DecodeFromCompressedByteBuffer(ByteBuffer.Allocate(Convert.FromBase64String(encoded)), 0);
}

using Google.Protobuf;

namespace GrpcLoadLab.LoadGen.Dynamic;

/// <summary>A <see cref="CodedOutputStream"/> into memory that also takes bytes already encoded.</summary>
internal sealed class WireBuffer : IDisposable
{
    private readonly MemoryStream _bytes = new();

    public WireBuffer() => Output = new CodedOutputStream(_bytes, leaveOpen: true);

    public CodedOutputStream Output { get; }

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        Output.Flush();
        _bytes.Write(bytes);
    }

    public byte[] ToArray()
    {
        Output.Flush();
        return _bytes.ToArray();
    }

    public void Dispose()
    {
        Output.Dispose();
        _bytes.Dispose();
    }
}

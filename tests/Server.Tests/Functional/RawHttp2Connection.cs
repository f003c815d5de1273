using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GrpcLoadLab.Server.Tests.Functional;

/// <summary>
/// HTTP/2 written by hand over a plain TCP connection, for what no well-behaved client library does: garbage bytes,
/// streams opened and reset in a loop. Frames per RFC 9113 §4.1, headers as HPACK literals without Huffman coding.
/// </summary>
internal sealed class RawHttp2Connection : IDisposable
{
    /// <summary>The client connection preface: the magic string; a SETTINGS frame must follow it.</summary>
    public static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    private const byte HeadersType = 0x1, ResetType = 0x3;
    private const byte EndHeaders = 0x4;
    private const uint Cancel = 0x8;
    private const int FrameHeaderLength = 9;

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    private RawHttp2Connection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    /// <summary>Opens a TCP connection to the loopback port; nothing is sent yet.</summary>
    public static async Task<RawHttp2Connection> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        return new RawHttp2Connection(client);
    }

    /// <summary>The preface and an empty SETTINGS frame: the start of every HTTP/2 client connection.</summary>
    public static byte[] Start() => [.. Preface, .. Frame(Http2Frame.SettingsType, 0, 0, [])];

    /// <summary>A HEADERS frame that opens a gRPC call on <paramref name="streamId"/> (odd, rising) and sends no body yet.</summary>
    public static byte[] OpenCall(int streamId, int port, string path) =>
        Frame(HeadersType, EndHeaders, streamId, [
            0x83, // :method POST (static table 3)
            0x86, // :scheme http (static table 6)
            .. Literal(4, path), // :path
            .. Literal(1, $"127.0.0.1:{port}"), // :authority
            .. Literal(31, "application/grpc"), // content-type
        ]);

    /// <summary>An RST_STREAM frame with CANCEL: what a client sends when it gives up on a call.</summary>
    public static byte[] Reset(int streamId)
    {
        var code = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(code, Cancel);
        return Frame(ResetType, 0, streamId, code);
    }

    public async Task WriteAsync(byte[] bytes, CancellationToken cancellationToken) =>
        await _stream.WriteAsync(bytes, cancellationToken);

    /// <summary>The next frame the server sent, or null when it closed the connection first.</summary>
    public async Task<Http2Frame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        var header = new byte[FrameHeaderLength];
        if (!await ReadExactlyOrEndAsync(header, cancellationToken))
        {
            return null;
        }

        var length = (header[0] << 16) | (header[1] << 8) | header[2];
        var payload = new byte[length];
        if (!await ReadExactlyOrEndAsync(payload, cancellationToken))
        {
            return null;
        }

        return new Http2Frame(header[3], header[4], BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & int.MaxValue, payload);
    }

    /// <summary>Reads and drops whatever the server sends until it closes the connection (or resets it).</summary>
    public async Task ReadUntilClosedAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (await _stream.ReadAsync(buffer, cancellationToken) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Reset by the server, or closed by this side: closed all the same.
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _client.Dispose();
    }

    private static byte[] Frame(byte type, byte flags, int streamId, byte[] payload)
    {
        var frame = new byte[FrameHeaderLength + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), streamId);
        payload.CopyTo(frame, FrameHeaderLength);
        return frame;
    }

    /// <summary>
    /// A literal header field without indexing whose name is the static table's entry <paramref name="nameIndex"/>
    /// (RFC 7541 §6.2.2: a 4-bit prefixed index), and a plain value shorter than 127 bytes.
    /// </summary>
    private static byte[] Literal(int nameIndex, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        byte[] name = nameIndex < 15 ? [(byte)nameIndex] : [0x0f, (byte)(nameIndex - 15)];
        return [.. name, (byte)bytes.Length, .. bytes];
    }

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await _stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken) == buffer.Length;
        }
        catch (IOException)
        {
            return false;
        }
    }
}

using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GrpcLoadLab.EndToEnd.Tests.Namespaces;

/// <summary>
/// A DNS server for one name, on UDP port 53 of a host in the test's network: it answers A queries for that name with
/// the addresses it is given at that moment (TTL 0, so that nothing caches them), an empty answer for other types, and
/// NXDOMAIN for other names. Every answer for the name is logged with its time, so a test can tell which answer a
/// client acted on. What a headless Service's DNS does for a client, without a cluster.
/// </summary>
internal sealed class DnsResponder : IAsyncDisposable
{
    private const int HeaderLength = 12;
    private const ushort TypeA = 1;
    private const ushort ClassInternet = 1;
    private const int NameError = 3;

    private readonly Socket _socket;
    private readonly string _name;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private readonly List<DnsAnswer> _answers = [];
    private IReadOnlyList<IPAddress> _addresses = [];

    private DnsResponder(Socket socket, string name)
    {
        _socket = socket;
        _name = name;
        _serving = ServeAsync();
    }

    /// <summary>Every A answer given for the name, in order.</summary>
    public IReadOnlyList<DnsAnswer> Answers
    {
        get
        {
            lock (_answers)
            {
                return [.. _answers];
            }
        }
    }

    /// <summary>Serves <paramref name="name"/> on <paramref name="host"/>'s address, port 53.</summary>
    public static DnsResponder Start(NetworkHost host, string name)
    {
        var socket = NamespaceSockets.Create(host.Namespace, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(host.Address, 53));
        return new DnsResponder(socket, name);
    }

    /// <summary>From now on the name resolves to exactly these addresses.</summary>
    public void Serve(params NetworkHost[] hosts) => Volatile.Write(ref _addresses, [.. hosts.Select(h => h.Address)]);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        try
        {
            await _serving;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        var buffer = new byte[512];
        while (!_stop.IsCancellationRequested)
        {
            var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            if (Reply(buffer.AsSpan(0, received.ReceivedBytes)) is { } reply)
            {
                await _socket.SendToAsync(reply, SocketFlags.None, received.RemoteEndPoint, _stop.Token);
            }
        }
    }

    /// <summary>The reply to one query (RFC 1035 §4.1), or null for a message that is no single question.</summary>
    private byte[]? Reply(ReadOnlySpan<byte> query)
    {
        if (query.Length < HeaderLength || BinaryPrimitives.ReadUInt16BigEndian(query[4..]) != 1 || (query[2] & 0x80) != 0)
        {
            return null;
        }

        // The question: labels up to the empty one, then its type and class.
        var name = new StringBuilder();
        var offset = HeaderLength;
        while (offset < query.Length && query[offset] != 0)
        {
            var length = query[offset];
            if (length > 63 || offset + 1 + length >= query.Length)
            {
                return null;
            }

            name.Append(name.Length > 0 ? "." : string.Empty).Append(Encoding.ASCII.GetString(query.Slice(offset + 1, length)));
            offset += 1 + length;
        }

        var questionEnd = offset + 5;
        if (questionEnd > query.Length)
        {
            return null;
        }

        var type = BinaryPrimitives.ReadUInt16BigEndian(query[(offset + 1)..]);
        var ours = name.ToString().Equals(_name, StringComparison.OrdinalIgnoreCase);
        IReadOnlyList<IPAddress> addresses = ours && type == TypeA ? Volatile.Read(ref _addresses) : [];
        if (ours && type == TypeA)
        {
            lock (_answers)
            {
                _answers.Add(new DnsAnswer(DateTimeOffset.UtcNow, addresses));
            }
        }

        var reply = new byte[questionEnd + (addresses.Count * 16)];
        query[..2].CopyTo(reply); // the query's id
        // A response (QR), the query's opcode, authoritative (AA), recursion desired as asked; NXDOMAIN for other names.
        reply[2] = (byte)(0x80 | (query[2] & 0x78) | 0x04 | (query[2] & 0x01));
        reply[3] = (byte)(ours ? 0 : NameError);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(6), (ushort)addresses.Count);
        query[HeaderLength..questionEnd].CopyTo(reply.AsSpan(HeaderLength));
        var at = questionEnd;
        foreach (var address in addresses)
        {
            var record = reply.AsSpan(at, 16);
            BinaryPrimitives.WriteUInt16BigEndian(record, 0xC000 | HeaderLength); // the name: a pointer to the question's
            BinaryPrimitives.WriteUInt16BigEndian(record[2..], TypeA);
            BinaryPrimitives.WriteUInt16BigEndian(record[4..], ClassInternet);
            BinaryPrimitives.WriteUInt32BigEndian(record[6..], 0); // TTL
            BinaryPrimitives.WriteUInt16BigEndian(record[10..], 4);
            address.GetAddressBytes().CopyTo(record[12..]);
            at += 16;
        }

        return reply;
    }
}

/// <summary>One answer the responder gave for its name: when, and which addresses.</summary>
internal sealed record DnsAnswer(DateTimeOffset At, IReadOnlyList<IPAddress> Addresses);

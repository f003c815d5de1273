using System.Buffers.Binary;

namespace GrpcLoadLab.Server.Tests.Functional;

/// <summary>One HTTP/2 frame as read off the wire by <see cref="RawHttp2Connection"/>.</summary>
internal sealed record Http2Frame(byte Type, byte Flags, int StreamId, byte[] Payload)
{
    public const byte SettingsType = 0x4;
    public const byte GoAwayType = 0x7;

    /// <summary>A SETTINGS frame's value for <paramref name="id"/> (RFC 9113 §6.5.1: 2-byte id, 4-byte value), if sent.</summary>
    public uint? Setting(ushort id)
    {
        for (var offset = 0; offset + 6 <= Payload.Length; offset += 6)
        {
            if (BinaryPrimitives.ReadUInt16BigEndian(Payload.AsSpan(offset)) == id)
            {
                return BinaryPrimitives.ReadUInt32BigEndian(Payload.AsSpan(offset + 2));
            }
        }

        return null;
    }
}

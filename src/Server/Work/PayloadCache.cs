using System.Collections.Concurrent;
using Google.Protobuf;

namespace GrpcLoadLab.Server.Work;

/// <summary>
/// Reply payloads of a given size. ByteString is immutable, so one instance per size serves every call
/// and a reply costs no payload allocation.
/// </summary>
public sealed class PayloadCache
{
    /// <summary>Clients use a handful of sizes; beyond this many, payloads are allocated per reply.</summary>
    private const int MaxCachedSizes = 64;

    private readonly ConcurrentDictionary<int, ByteString> _bySize = new();

    public ByteString Get(int size)
    {
        if (size <= 0)
        {
            return ByteString.Empty;
        }

        if (_bySize.TryGetValue(size, out var payload))
        {
            return payload;
        }

        payload = ByteString.CopyFrom(new byte[size]);
        return _bySize.Count < MaxCachedSizes ? _bySize.GetOrAdd(size, payload) : payload;
    }
}

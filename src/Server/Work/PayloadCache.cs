using System.Collections.Concurrent;
using Google.Protobuf;

namespace GrpcLoadLab.Server.Work;

/// <summary>
/// Reply payloads of a given size. ByteString is immutable, so one instance per size serves every call and a reply
/// costs no payload allocation. Bounded by bytes, not by count: reply sizes are the clients' to choose, and 64 sizes
/// of 4 MiB once kept 400 MB alive.
/// </summary>
public sealed class PayloadCache
{
    /// <summary>Clients use a handful of sizes; a payload that would take the cache beyond this is allocated per reply.</summary>
    public const long MaxCachedBytes = 16 * 1024 * 1024;

    private readonly ConcurrentDictionary<int, ByteString> _bySize = new();
    private long _cachedBytes;

    /// <summary>The bytes of payload the cache holds now.</summary>
    public long CachedBytes => Interlocked.Read(ref _cachedBytes);

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

        // The array is never written after this: wrapping it saves ByteString.CopyFrom's second copy.
        payload = UnsafeByteOperations.UnsafeWrap(new byte[size]);
        // Reserve the bytes first, so that calls racing for new sizes cannot together overshoot the bound.
        if (Interlocked.Add(ref _cachedBytes, size) > MaxCachedBytes)
        {
            Interlocked.Add(ref _cachedBytes, -size);
            return payload;
        }

        var cached = _bySize.GetOrAdd(size, payload);
        if (!ReferenceEquals(cached, payload))
        {
            // Another call cached this size first: its bytes are already counted.
            Interlocked.Add(ref _cachedBytes, -size);
        }

        return cached;
    }
}

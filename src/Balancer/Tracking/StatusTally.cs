using System.Collections.Concurrent;
using Grpc.Core;

namespace GrpcLoadLab.Balancer.Tracking;

/// <summary>
/// Counts by gRPC status code, written lock-free by many calls at once. A server may send any integer in
/// <c>grpc-status</c> (a negative one, 99) and Grpc.Net.Client hands it on as it came: such a code is counted apart
/// under its number, never dropped and never used as an index.
/// </summary>
public sealed class StatusTally
{
    private static readonly int DefinedCount = Enum.GetValues<StatusCode>().Max(c => (int)c) + 1;

    private readonly long[] _defined = new long[DefinedCount];
    private readonly ConcurrentDictionary<StatusCode, long> _undefined = new();

    public void Add(StatusCode code)
    {
        if ((uint)code < (uint)_defined.Length)
        {
            Interlocked.Increment(ref _defined[(int)code]);
        }
        else
        {
            _undefined.AddOrUpdate(code, 1, static (_, count) => count + 1);
        }
    }

    public long this[StatusCode code] =>
        (uint)code < (uint)_defined.Length ? Volatile.Read(ref _defined[(int)code]) : _undefined.GetValueOrDefault(code);

    /// <summary>Every code counted at least once, with its count, defined codes first in their order.</summary>
    public IEnumerable<KeyValuePair<StatusCode, long>> Counted()
    {
        for (var code = 0; code < _defined.Length; code++)
        {
            var count = Volatile.Read(ref _defined[code]);
            if (count > 0)
            {
                yield return new((StatusCode)code, count);
            }
        }

        foreach (var undefined in _undefined.OrderBy(u => (int)u.Key))
        {
            yield return undefined;
        }
    }
}

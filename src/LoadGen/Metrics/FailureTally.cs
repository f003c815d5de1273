using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Grpc.Core;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Metrics;

/// <summary>
/// The details of a phase's failed calls, per status: counted as <see cref="StatusFailures"/> keeps them, written by
/// many calls at once. Only failed calls write to it, under a lock per status: a call that succeeds never takes one.
/// </summary>
internal sealed class FailureTally
{
    private readonly ConcurrentDictionary<string, DetailCounts> _byStatus = new(StringComparer.Ordinal);

    /// <summary>What a call's failure says about it: the status's detail, or the exception's type and message.</summary>
    public static string Describe(Exception failure) =>
        StatusFailures.Normalize(failure is RpcException rpc ? rpc.Status.Detail : $"{failure.GetType().Name}: {failure.Message}");

    /// <param name="status">The status's name, as the phase counts it.</param>
    /// <param name="detail">Its detail, as <see cref="Describe"/> made it.</param>
    public void Add(string status, string detail)
    {
        var counts = _byStatus.GetOrAdd(status, static _ => new DetailCounts());
        lock (counts)
        {
            if (counts.Details.Count < StatusFailures.MaxDetails || counts.Details.ContainsKey(detail))
            {
                CollectionsMarshal.GetValueRefOrAddDefault(counts.Details, detail, out _)++;
            }
            else
            {
                counts.Unlisted++;
            }
        }
    }

    /// <summary>The details counted so far, per status.</summary>
    public IReadOnlyDictionary<string, StatusFailures> Counted()
    {
        var counted = new Dictionary<string, StatusFailures>(StringComparer.Ordinal);
        foreach (var (status, counts) in _byStatus)
        {
            lock (counts)
            {
                counted[status] = new StatusFailures([.. counts.Details.Select(d => new FailureDetail(d.Key, d.Value))], counts.Unlisted);
            }
        }

        return counted;
    }

    private sealed class DetailCounts
    {
        public Dictionary<string, long> Details { get; } = new(StringComparer.Ordinal);

        public long Unlisted { get; set; }
    }
}

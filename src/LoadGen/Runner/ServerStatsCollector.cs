using Grpc.Core;
using GrpcLoadLab.Balancer.Transport;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.LoadGen.Runner;

/// <summary>
/// Asks each instance for its own counters (GetStats), straight to its address rather than through the balancer,
/// so that every instance answers once. An instance that does not answer, for whatever reason, is recorded as null.
/// </summary>
internal static class ServerStatsCollector
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <param name="tls">The target's TLS; null for plaintext.</param>
    public static async Task<IReadOnlyDictionary<string, InstanceStats?>> FetchAsync(IEnumerable<string> addresses, ClientTls? tls)
    {
        var results = await Task.WhenAll(addresses.Distinct(StringComparer.OrdinalIgnoreCase).Select(async address =>
        {
            try
            {
                using var channel = DirectChannel.Create(address, tls);
                var stats = await new LoadLab.LoadLabClient(channel).GetStatsAsync(new StatsRequest(), deadline: DateTime.UtcNow + Timeout);
                return (address, stats);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Any failure (a status, an address the client cannot use) reads as "did not answer": the counters
                // are a figure beside the run, never a reason to lose it.
                return (address, (InstanceStats?)null);
            }
        }));
        return results.ToDictionary(r => r.address, r => r.Item2, StringComparer.OrdinalIgnoreCase);
    }
}

using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// A server instance's own counters over the run, from its GetStats replies at the start and the end: what it
/// completed and rejected, its CPU, GC pause and what was in flight at the end.
/// </summary>
/// <param name="CpuCores">Cores the instance kept busy on average (its CPU time over its wall time).</param>
/// <param name="CpuPercent">The same, as a share of the cores the instance could use (one when pinned).</param>
/// <param name="Capacity">Calls doing work at once (<c>--capacity</c>); 0 = unlimited; null when it did not answer.</param>
/// <param name="QueueLimit">Calls that may wait for a slot (<c>--queue</c>).</param>
/// <param name="Cores">The cores the instance could use: fewer than the machine's when it was pinned.</param>
internal sealed record ServerFigures(
    string Address,
    string InstanceId,
    long? Completed,
    long? Rejected,
    double? CpuCores,
    double? CpuPercent,
    double? GcPauseMillis,
    long? InFlightAtEnd,
    long? WorkingSetBytes,
    long? Capacity,
    long? QueueLimit,
    long? Cores)
{
    public static ServerFigures Of(ServerStatsPair pair)
    {
        var start = pair.Start;
        var end = pair.End;
        var wall = Delta(start, end, s => s.UptimeMicros);
        var cpu = Delta(start, end, s => s.ProcessCpuMicros);
        double? busy = wall is > 0 && cpu is not null ? (double)cpu.Value / wall.Value : null;
        // Settings are the same at both ends: the end's, or the start's when the instance did not answer at the end.
        var settings = end ?? start;
        return new ServerFigures(
            pair.Address,
            Named(end) ?? Named(start) ?? "?",
            Delta(start, end, CompletedCalls),
            Delta(start, end, s => s.Rejected),
            busy,
            busy is { } b ? Math.Round(100.0 * b / Math.Max(1, end!.ProcessorCount), 1) : null,
            Delta(start, end, s => s.GcPauseMicros) / 1000.0,
            end?.InFlight,
            end?.WorkingSetBytes,
            settings?.Capacity,
            settings?.QueueLimit,
            settings?.ProcessorCount);
    }

    /// <summary>
    /// The fleet's settings that explain its numbers: capacity, queue and pinning, the same for every instance (as
    /// <c>servers.sh</c> and sweeps start them) or told per instance; null when no server answered GetStats.
    /// </summary>
    public static string? FleetSettings(IReadOnlyList<ServerFigures> servers, int machineCores)
    {
        var known = servers.Where(s => s.Cores is not null).ToList();
        if (known.Count == 0)
        {
            return null;
        }

        var settings = known.Select(s => Describe(s, machineCores)).ToList();
        return settings.Distinct(StringComparer.Ordinal).Count() == 1
            ? $"{settings[0]}, on each of {known.Count} instance{(known.Count == 1 ? "" : "s")}"
            : string.Join("; ", known.Select((s, i) => $"{s.InstanceId}: {settings[i]}"));
    }

    private static string Describe(ServerFigures s, int machineCores) =>
        (s.Capacity is > 0 ? $"capacity {s.Capacity} calls at once, queue {s.QueueLimit ?? 0}" : "capacity unlimited")
        + (s.Cores < machineCores ? $", pinned to {s.Cores} of {machineCores} cores" : $", {s.Cores} cores");

    /// <summary>End minus start; null when the instance did not answer at the end, from 0 when not at the start.</summary>
    private static long? Delta(InstanceStats? start, InstanceStats? end, Func<InstanceStats, long> counter) =>
        end is null ? null : counter(end) - (start is null ? 0 : counter(start));

    /// <summary>The calls of every kind the instance completed (a kind it never served is absent from the reply).</summary>
    private static long CompletedCalls(InstanceStats stats) =>
        new[] { stats.Unary, stats.ServerStream, stats.ClientStream, stats.Bidi }.Sum(kind => kind?.Completed ?? 0);

    private static string? Named(InstanceStats? stats) => stats is { InstanceId.Length: > 0 } ? stats.InstanceId : null;
}

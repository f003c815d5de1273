using System.Globalization;
using System.Text.Json.Nodes;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Reports.Figures;

/// <summary>
/// A server instance's own counters over the run, from its GetStats replies at the start and the end (as the result
/// keeps them, JSON): what it completed and rejected, its CPU, GC pause and what was in flight at the end.
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
    private static readonly string[] Kinds = ["unary", "serverStream", "clientStream", "bidi"];

    public static ServerFigures Of(ServerStatsPair pair)
    {
        var start = pair.Start;
        var end = pair.End;
        var wall = Delta(start, end, "uptimeMicros");
        var cpu = Delta(start, end, "processCpuMicros");
        var cores = Number(end, "processorCount") ?? 1;
        double? busy = wall is > 0 && cpu is not null ? (double)cpu.Value / wall.Value : null;
        return new ServerFigures(
            pair.Address,
            end?["instanceId"]?.GetValue<string>() ?? start?["instanceId"]?.GetValue<string>() ?? "?",
            end is null ? null : Kinds.Sum(kind => Number(end[kind], "completed") ?? 0) - (start is null ? 0 : Kinds.Sum(kind => Number(start[kind], "completed") ?? 0)),
            Delta(start, end, "rejected"),
            busy,
            busy is { } b ? Math.Round(100.0 * b / Math.Max(1, cores), 1) : null,
            Delta(start, end, "gcPauseMicros") / 1000.0,
            end is null ? null : Number(end, "inFlight") ?? 0,
            end is null ? null : Number(end, "workingSetBytes"),
            Setting(end ?? start, "capacity"),
            Setting(end ?? start, "queueLimit"),
            Setting(end ?? start, "processorCount"));
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

    /// <summary>A setting of the reply; proto3 JSON leaves out zeros (0 = unlimited capacity, no queue).</summary>
    private static long? Setting(JsonNode? node, string name) => node is null ? null : Number(node, name) ?? 0;

    /// <summary>End minus start; a counter the reply left out (proto3 JSON omits zeros) counts as 0.</summary>
    private static long? Delta(JsonNode? start, JsonNode? end, string name) =>
        end is null ? null : (Number(end, name) ?? 0) - (Number(start, name) ?? 0);

    /// <summary>proto3 JSON writes 64-bit counters as strings and 32-bit ones as numbers.</summary>
    private static long? Number(JsonNode? node, string name) =>
        node?[name] is JsonValue value
            ? value.TryGetValue<long>(out var n) ? n
            : value.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed
            : null
            : null;
}

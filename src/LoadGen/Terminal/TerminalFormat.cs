using System.Globalization;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Terminal;

/// <summary>
/// How the live progress writes a snapshot of the run that goes on; its numbers are written as every reader writes
/// them (<see cref="NumberText"/>).
/// </summary>
internal static class TerminalFormat
{
    /// <summary>Where the run is: <c>phase 2/4: 500/s for 10s</c>, marked when the phase is a warm-up.</summary>
    public static string Phase(LiveSnapshot snapshot) =>
        string.Create(CultureInfo.InvariantCulture, $"phase {snapshot.PhaseNumber}/{snapshot.PhaseCount}: {snapshot.Phase}")
        + (snapshot.Warmup ? " (WARM-UP)" : "");

    /// <summary>The last second's p50 and p99; "-" when no call ended in it, since there was nothing to measure.</summary>
    public static string LastSecondLatency(LiveSnapshot snapshot) =>
        snapshot.CallsPerSecond > 0
            ? $"p50 {NumberText.Millis(snapshot.P50Millis)} ms p99 {NumberText.Millis(snapshot.P99Millis)} ms"
            : "p50 - p99 -";

    /// <summary>The servers in a stable order, so that a line or a table row does not jump between updates.</summary>
    public static IEnumerable<ServerShare> ByInstance(IReadOnlyList<ServerShare> servers) =>
        servers.OrderBy(server => server.InstanceId, StringComparer.Ordinal);
}

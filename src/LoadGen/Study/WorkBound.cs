using System.Globalization;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Study;

/// <summary>What limits a fleet by construction: its capacity slots (N·k/S) or the cores its work may burn (cores/cpu).</summary>
public enum BoundKind
{
    Capacity,
    Cores,
}

/// <summary>
/// The most calls a second a fleet can serve of a profile's work, worked out from the profile alone (not measured):
/// N instances of k slots each, holding a call for S, serve at most N·k/S; calls that spin c of CPU on the cores they
/// may use (one per pinned instance up to the machine's, else all of them) at most cores/c. The lower one binds.
/// </summary>
/// <param name="Formula">How the number follows, e.g. "4 × 8 calls at once / 20.0 ms = 1600.0 calls/s".</param>
public sealed record WorkBound(BoundKind Kind, double CallsPerSecond, string Formula)
{
    /// <summary>"the capacity bound" or "the cores bound".</summary>
    public string Name => Kind == BoundKind.Capacity ? "the capacity bound" : "the cores bound";

    /// <summary>The bound of <paramref name="instances"/> instances of <paramref name="work"/>; null when the work asks for neither slots nor CPU.</summary>
    public static WorkBound? Of(WorkProfile? work, int instances, int cores)
    {
        if (work is null)
        {
            return null;
        }

        var service = work.Delay + work.Cpu;
        WorkBound? capacity = work.Capacity > 0 && service > TimeSpan.Zero
            ? new WorkBound(
                BoundKind.Capacity,
                instances * work.Capacity / service.TotalSeconds,
                F($"{instances} × {work.Capacity} calls at once / {NumberText.Millis(service.TotalMilliseconds)} ms = {NumberText.Rate(instances * work.Capacity / service.TotalSeconds)} calls/s"))
            : null;
        var usable = work.Pin ? Math.Min(instances, cores) : cores;
        WorkBound? cpu = work.Cpu > TimeSpan.Zero
            ? new WorkBound(
                BoundKind.Cores,
                usable / work.Cpu.TotalSeconds,
                F($"{usable} {(usable == 1 ? "core" : "cores")} × 1 / {NumberText.Millis(work.Cpu.TotalMilliseconds)} ms = {NumberText.Rate(usable / work.Cpu.TotalSeconds)} calls/s"))
            : null;
        return (capacity, cpu) switch
        {
            ({ } a, { } b) => a.CallsPerSecond <= b.CallsPerSecond ? a : b,
            ({ } a, null) => a,
            (null, var b) => b,
        };
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

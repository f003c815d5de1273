namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// How the machine treated the open-model dispatcher, the thread that starts each call at its due time: what a reader
/// needs to tell a schedule lag of the host (the dispatcher woken late) from one of the generator (woken on time, and
/// still late).
/// </summary>
/// <param name="WakeUpLateness">
/// How late each of the dispatcher's sleeps ended, in µs past the time it asked for (1 µs: on time): the machine's share
/// of the schedule lag. Sleeps over which the generator's own GC paused it are left out (the pause and the machine
/// cannot be told apart there). Null when the dispatcher never slept: it was behind its schedule throughout.
/// </param>
/// <param name="PacedSeconds">How long it paced the schedule: from the phase's start until its last call was due.</param>
/// <param name="RealTimeSeconds">Of <paramref name="PacedSeconds"/>, how long at real-time priority (0 where the machine grants none).</param>
/// <param name="LongestSpinMicros">The longest it spun before a due time, the cover that the machine's late wake-ups taught it.</param>
public sealed record DispatcherFigures(HistogramSummary? WakeUpLateness, double PacedSeconds, double RealTimeSeconds, long LongestSpinMicros)
{
    /// <summary>The share of the paced time at real-time priority, 0 to 1.</summary>
    public double RealTimeShare => PacedSeconds > 0 ? Math.Min(1, RealTimeSeconds / PacedSeconds) : 0;
}

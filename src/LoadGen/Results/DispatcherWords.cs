namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// How the open-model dispatcher fared, in the words of the run's page and of the terminal alike: beside the schedule
/// lag, so that a reader sees how much of it the machine's wake-ups explain.
/// </summary>
internal static class DispatcherWords
{
    /// <summary>e.g. <c>woken up to 0.06 ms late at p99 (max 1.2 ms), at real-time priority 100% of the time, spinning up to 0.25 ms before a call</c>.</summary>
    public static string Of(DispatcherFigures dispatcher) =>
        $"{WakeUps(dispatcher.WakeUpLateness)}, at real-time priority {NumberText.Percent(dispatcher.RealTimeShare, 0)} of the time, "
        + $"spinning up to {NumberText.Millis(dispatcher.LongestSpinMicros / 1000.0)} ms before a call";

    /// <summary>How late its sleeps ended; a dispatcher that never slept was behind its schedule throughout.</summary>
    private static string WakeUps(HistogramSummary? lateness) => lateness is null
        ? "never asleep (behind its schedule throughout)"
        : $"woken up to {NumberText.Millis(lateness, h => h.P99)} ms late at p99 (max {NumberText.Millis(lateness, h => h.Max)} ms)";
}

using System.Diagnostics;

namespace GrpcLoadLab.LoadGen.Metrics;

/// <summary>Conversions between Stopwatch readings and the units results use.</summary>
internal static class Ticks
{
    private static readonly double MicrosPerTick = 1_000_000.0 / Stopwatch.Frequency;

    public static long ToMicros(long stopwatchTicks) => (long)(stopwatchTicks * MicrosPerTick);

    public static long FromSeconds(double seconds) => (long)(seconds * Stopwatch.Frequency);

    public static double ToSeconds(long stopwatchTicks) => (double)stopwatchTicks / Stopwatch.Frequency;
}

using System.Diagnostics;
using System.Runtime.InteropServices;

namespace GrpcLoadLab.LoadGen.Load;

/// <summary>
/// Sleeps a dedicated thread until a Stopwatch reading, to within tens of microseconds on Linux (clock_nanosleep on
/// the monotonic clock Stopwatch reads, with the thread's timer slack cut to 1 µs). .NET timers and Task.Delay
/// count whole milliseconds, which alone would start calls up to a millisecond late.
/// </summary>
internal static partial class PreciseWait
{
    private const int ClockMonotonic = 1;
    private const int TimerAbsolute = 1;
    private const int PrSetTimerSlack = 29;
    private static readonly bool UseNanosleep = OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000;

    /// <summary>Call once on the thread that will wait: asks the kernel to wake it on time.</summary>
    public static void PrepareThread()
    {
        if (UseNanosleep)
        {
            _ = SetTimerSlack(PrSetTimerSlack, 1, 0, 0, 0);
        }
    }

    public static void Until(long timestamp)
    {
        if (UseNanosleep)
        {
            // Stopwatch on Linux reads CLOCK_MONOTONIC in nanoseconds: sleep until that absolute time.
            var target = new TimeSpec { Seconds = timestamp / 1_000_000_000, Nanoseconds = timestamp % 1_000_000_000 };
            while (ClockNanosleep(ClockMonotonic, TimerAbsolute, in target, IntPtr.Zero) != 0 && Stopwatch.GetTimestamp() < timestamp)
            {
                // Interrupted by a signal: sleep again.
            }

            return;
        }

        var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        if (remaining > TimeSpan.Zero)
        {
            Thread.Sleep(remaining);
        }
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clockId, int flags, in TimeSpec request, IntPtr remain);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int SetTimerSlack(int option, ulong slackNanoseconds, ulong unused2, ulong unused3, ulong unused4);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}

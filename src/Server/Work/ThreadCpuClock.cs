using System.Diagnostics;
using System.Runtime.InteropServices;

namespace GrpcLoadLab.Server.Work;

/// <summary>
/// CPU time consumed by the calling thread. A CPU spin measured this way burns the CPU it was asked to even when
/// the cores are oversubscribed (it then takes longer), which is what makes CPU-bound scaling stop at the core count.
/// Falls back to wall-clock time where the thread clock is not available.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3; // CLOCK_THREAD_CPUTIME_ID on Linux

    public static bool IsThreadCpuTime { get; } = OperatingSystem.IsLinux() && TryRead(out _);

    /// <summary>The thread's CPU time in microseconds (or a wall-clock reading, see <see cref="IsThreadCpuTime"/>).</summary>
    public static long NowMicros()
    {
        if (IsThreadCpuTime && TryRead(out var micros))
        {
            return micros;
        }

        return (long)Stopwatch.GetElapsedTime(0).TotalMicroseconds;
    }

    private static bool TryRead(out long micros)
    {
        if (ClockGetTime(ClockThreadCpuTimeId, out var time) == 0)
        {
            micros = (time.Seconds * 1_000_000) + (time.Nanoseconds / 1_000);
            return true;
        }

        micros = 0;
        return false;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}

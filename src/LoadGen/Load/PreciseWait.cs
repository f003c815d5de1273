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
    private const int SchedOther = 0;
    private const int SchedFifo = 1;
    private static readonly bool UseNanosleep = OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000;

    /// <summary>
    /// Call once on the thread that will wait: asks the kernel to wake it on time, and tries real-time priority (see
    /// <see cref="SetRealTime"/>); true when the thread got it.
    /// </summary>
    public static bool PrepareThread()
    {
        if (!UseNanosleep)
        {
            return false;
        }

        _ = SetTimerSlack(PrSetTimerSlack, 1, 0, 0, 0);
        return SetRealTime(true);
    }

    /// <summary>
    /// Puts the calling thread at real-time priority (SCHED_FIFO, its lowest level) or back to normal; true when
    /// granted. Linux grants real time to root, to CAP_SYS_NICE or within RLIMIT_RTPRIO.
    /// </summary>
    public static bool SetRealTime(bool realTime)
    {
        if (!UseNanosleep)
        {
            return false;
        }

        var priority = realTime ? 1 : 0;
        return SetScheduler(0, realTime ? SchedFifo : SchedOther, in priority) == 0;
    }

    /// <summary>Whether <see cref="PrepareThread"/> gets real-time priority in this process (tried on a thread of its own).</summary>
    public static bool RealTimeGranted()
    {
        var granted = false;
        var probe = new Thread(() => granted = PrepareThread()) { IsBackground = true, Name = "loadgen real-time probe" };
        probe.Start();
        probe.Join();
        return granted;
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

    /// <summary>sched_setscheduler(2); pid 0 is the calling thread, and the parameter is a struct of one int.</summary>
    [LibraryImport("libc", EntryPoint = "sched_setscheduler")]
    private static partial int SetScheduler(int pid, int policy, in int priority);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int SetTimerSlack(int option, ulong slackNanoseconds, ulong unused2, ulong unused3, ulong unused4);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}

using System.Diagnostics;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Metrics;

/// <summary>
/// Samples the generator's own health once a second: CPU (of all cores), GC pause time and count, thread-pool queue and
/// schedule lag, and how busy the machine's cores were in all. A generator that cannot keep up measures itself, not
/// the servers; these samples say when.
/// </summary>
internal sealed class GeneratorMonitor
{
    private TimeSpan _lastCpu = Environment.CpuUsage.TotalTime;
    private TimeSpan _lastGcPause = GC.GetTotalPauseDuration();
    private int _lastGcCount = GC.CollectionCount(0);
    private readonly HostCpu _host = new();
    private long _lastSample = Stopwatch.GetTimestamp();

    public GeneratorSecond Sample(long scheduleLagP99Micros)
    {
        var now = Stopwatch.GetTimestamp();
        var cpu = Environment.CpuUsage.TotalTime;
        var gcPause = GC.GetTotalPauseDuration();
        var gcCount = GC.CollectionCount(0);
        var wall = Stopwatch.GetElapsedTime(_lastSample, now);
        var cpuPercent = wall > TimeSpan.Zero ? (cpu - _lastCpu) / (wall * Environment.ProcessorCount) * 100 : 0;
        var sample = new GeneratorSecond(
            Math.Round(cpuPercent, 1),
            Math.Round((gcPause - _lastGcPause).TotalMilliseconds, 2),
            ThreadPool.PendingWorkItemCount,
            scheduleLagP99Micros,
            _host.SamplePercent(),
            gcCount - _lastGcCount);
        _lastCpu = cpu;
        _lastGcPause = gcPause;
        _lastGcCount = gcCount;
        _lastSample = now;
        return sample;
    }
}

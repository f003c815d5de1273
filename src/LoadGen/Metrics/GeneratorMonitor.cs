using System.Diagnostics;
using System.Runtime;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Metrics;

/// <summary>
/// Samples the generator's own health once a second: CPU (of all cores), GC pause time and count, thread-pool queue,
/// schedule lag, the JIT's work, and how busy the machine's cores were in all. A generator that cannot keep up measures itself, not
/// the servers; these samples say when.
/// </summary>
internal sealed class GeneratorMonitor
{
    private TimeSpan _lastCpu = Environment.CpuUsage.TotalTime;
    private TimeSpan _lastGcPause = GC.GetTotalPauseDuration();
    private int _lastGcCount = GC.CollectionCount(0);
    private long _lastJitMethods = JitInfo.GetCompiledMethodCount();
    private TimeSpan _lastJitTime = JitInfo.GetCompilationTime();
    private readonly HostCpu _host = new();
    private long _lastSample = Stopwatch.GetTimestamp();

    public GeneratorSecond Sample(long scheduleLagP99Micros)
    {
        var now = Stopwatch.GetTimestamp();
        var cpu = Environment.CpuUsage.TotalTime;
        var gcPause = GC.GetTotalPauseDuration();
        var gcCount = GC.CollectionCount(0);
        var jitMethods = JitInfo.GetCompiledMethodCount();
        var jitTime = JitInfo.GetCompilationTime();
        var wall = Stopwatch.GetElapsedTime(_lastSample, now);
        var cpuPercent = wall > TimeSpan.Zero ? (cpu - _lastCpu) / (wall * Environment.ProcessorCount) * 100 : 0;
        var sample = new GeneratorSecond(
            Math.Round(cpuPercent, 1),
            Math.Round((gcPause - _lastGcPause).TotalMilliseconds, 2),
            ThreadPool.PendingWorkItemCount,
            scheduleLagP99Micros,
            _host.SamplePercent(),
            gcCount - _lastGcCount,
            jitMethods - _lastJitMethods,
            Math.Round((jitTime - _lastJitTime).TotalMilliseconds, 1));
        _lastCpu = cpu;
        _lastGcPause = gcPause;
        _lastGcCount = gcCount;
        _lastJitMethods = jitMethods;
        _lastJitTime = jitTime;
        _lastSample = now;
        return sample;
    }
}

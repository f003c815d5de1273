using GrpcLoadLab.Common;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Server.Work;

/// <summary>Does the work a request asks for: first the awaited delay (I/O-bound), then the CPU spin (CPU-bound).</summary>
public static class SimulatedWork
{
    /// <summary>Pause instructions between clock reads: a few microseconds, so the clock costs little of the spin.</summary>
    private const int SpinIterationsPerCheck = 64;

    public static ValueTask DoAsync(WorkRequest request, CancellationToken cancellationToken)
    {
        if (request.DelayMicros > 0)
        {
            return DelayThenSpinAsync(request, cancellationToken);
        }

        Spin(request.CpuMicros, cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <summary>Burns CPU on the calling thread until it has used <paramref name="cpuMicros"/> of CPU time.</summary>
    public static void Spin(long cpuMicros, CancellationToken cancellationToken)
    {
        if (cpuMicros <= 0)
        {
            return;
        }

        var end = ThreadCpuClock.NowMicros() + cpuMicros;
        while (ThreadCpuClock.NowMicros() < end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Thread.SpinWait(SpinIterationsPerCheck);
        }
    }

    private static async ValueTask DelayThenSpinAsync(WorkRequest request, CancellationToken cancellationToken)
    {
        await AwaitedDelay.WaitAsync(TimeSpan.FromMicroseconds(request.DelayMicros), TimeProvider.System, cancellationToken);
        Spin(request.CpuMicros, cancellationToken);
    }
}

using System.Diagnostics;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Work;

namespace GrpcLoadLab.Server.Tests.Unit;

public class SimulatedWorkTests
{
    [Fact]
    public void The_spin_is_measured_on_the_threads_own_cpu_clock_on_linux() =>
        Assert.Equal(OperatingSystem.IsLinux(), ThreadCpuClock.IsThreadCpuTime);

    [Fact]
    public void A_spin_stops_when_cancelled()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        // An hour of CPU: only the cancellation can end it.
        Assert.Throws<OperationCanceledException>(() => SimulatedWork.Spin(3_600_000_000, cancel.Token));
    }

    [Fact]
    public async Task A_delay_under_a_millisecond_still_waits_at_least_that_long()
    {
        const int Calls = 20;
        var request = new WorkRequest { DelayMicros = 900 };
        var started = Stopwatch.GetTimestamp();

        for (var i = 0; i < Calls; i++)
        {
            await SimulatedWork.DoAsync(request, CancellationToken.None);
        }

        Assert.InRange(Stopwatch.GetElapsedTime(started), TimeSpan.FromMicroseconds(Calls * request.DelayMicros), TimeSpan.MaxValue);
    }
}

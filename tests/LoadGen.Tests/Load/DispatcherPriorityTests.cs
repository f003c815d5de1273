using GrpcLoadLab.LoadGen.Load;
using GrpcLoadLab.LoadGen.Metrics;

namespace GrpcLoadLab.LoadGen.Tests.Load;

/// <summary>
/// The dispatcher's priority rule, driven by made-up Stopwatch readings: real time while it sleeps most of each
/// second, normal while it is awake more than <see cref="DispatcherPriority.LeaveRealTimeAbove"/> of one, and back
/// only below <see cref="DispatcherPriority.ReturnToRealTimeBelow"/>.
/// </summary>
public class DispatcherPriorityTests
{
    private static readonly long Millisecond = Ticks.FromSeconds(0.001);

    [Fact]
    public void A_dispatcher_that_mostly_sleeps_stays_real_time()
    {
        var priority = new DispatcherPriority(granted: true, now: 0);

        var changes = Run(priority, seconds: 3, callsPerSecond: 1000, awakePerCall: Millisecond / 50);

        Assert.Empty(changes);
        Assert.True(priority.RealTime);
    }

    [Fact]
    public void A_dispatcher_awake_more_than_the_bound_drops_to_normal_after_one_second_and_stays_there()
    {
        var priority = new DispatcherPriority(granted: true, now: 0);

        // 8,000 starts a second at 20 µs each: awake 16 % of the time.
        var changes = Run(priority, seconds: 3, callsPerSecond: 8000, awakePerCall: Millisecond / 50);

        Assert.Equal([false], changes);
        Assert.False(priority.RealTime);
    }

    [Fact]
    public void It_returns_to_real_time_only_below_the_lower_bound()
    {
        var priority = new DispatcherPriority(granted: true, now: 0);
        var now = Advance(priority, 0, seconds: 2, callsPerSecond: 8000, awakePerCall: Millisecond / 50);
        Assert.False(priority.RealTime);

        // 7 % awake: under the bound to leave, over the bound to return.
        now = Advance(priority, now, seconds: 2, callsPerSecond: 1000, awakePerCall: Millisecond * 7 / 100);
        Assert.False(priority.RealTime);

        // 2 % awake.
        Advance(priority, now, seconds: 3, callsPerSecond: 1000, awakePerCall: Millisecond * 2 / 100);
        Assert.True(priority.RealTime);
    }

    [Fact]
    public void Without_permission_it_never_asks_for_real_time()
    {
        var priority = new DispatcherPriority(granted: false, now: 0);

        var changes = Run(priority, seconds: 3, callsPerSecond: 10, awakePerCall: Millisecond / 50);

        Assert.Empty(changes);
        Assert.False(priority.RealTime);
    }

    /// <summary>Evenly spaced calls, each keeping the dispatcher awake <paramref name="awakePerCall"/>; the priorities it switched to.</summary>
    private static List<bool> Run(DispatcherPriority priority, int seconds, int callsPerSecond, long awakePerCall)
    {
        var changes = new List<bool>();
        Advance(priority, 0, seconds, callsPerSecond, awakePerCall, changes);
        return changes;
    }

    private static long Advance(DispatcherPriority priority, long start, int seconds, int callsPerSecond, long awakePerCall, List<bool>? changes = null)
    {
        var gap = Ticks.FromSeconds(1.0 / callsPerSecond);
        var now = start;
        for (var call = 0; call < seconds * callsPerSecond; call++)
        {
            priority.Woke(now);
            now += awakePerCall;
            if (priority.Sleeping(now))
            {
                changes?.Add(priority.RealTime);
            }

            now += gap - awakePerCall;
        }

        return now;
    }
}

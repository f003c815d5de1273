using System.Diagnostics;
using GrpcLoadLab.LoadGen.Load;
using GrpcLoadLab.LoadGen.Metrics;

namespace GrpcLoadLab.LoadGen.Tests.Load;

public class WakeUpSpinTests
{
    private static readonly long Microsecond = Ticks.FromSeconds(1e-6);

    /// <summary>How long a test tries for a sleep that no collection paused: generous, as other tests allocate meanwhile.</summary>
    private static readonly TimeSpan GcFreeSleepBound = TimeSpan.FromSeconds(30);

    [Fact]
    public void Before_any_wake_up_is_measured_the_dispatcher_spins_what_a_virtual_machine_usually_needs()
    {
        var spin = new WakeUpSpin();

        Assert.Equal(WakeUpSpin.InitialSpin, spin.Before(Ticks.FromSeconds(0.1)));
    }

    [Fact]
    public void The_first_wake_ups_on_time_by_chance_do_not_lower_the_spin_before_as_many_were_measured_as_are_remembered()
    {
        var spin = new WakeUpSpin();
        for (var i = 1; i < WakeUpSpin.RememberedWakeUps; i++)
        {
            spin.Woke(20 * Microsecond);
        }

        Assert.Equal(WakeUpSpin.InitialSpin, spin.LatestWakeUp);

        spin.Woke(20 * Microsecond);

        Assert.Equal(20 * Microsecond, spin.LatestWakeUp);
    }

    [Fact]
    public void At_a_low_rate_the_spin_covers_the_latest_remembered_wake_up()
    {
        var spin = new WakeUpSpin();
        foreach (var lateness in new[] { 80, 120, 430, 95, 60 })
        {
            spin.Woke(lateness * Microsecond);
        }

        Assert.Equal(430 * Microsecond, spin.Before(Ticks.FromSeconds(0.1)));
    }

    [Fact]
    public void A_machine_that_wakes_on_time_gets_next_to_no_spin()
    {
        var spin = new WakeUpSpin();
        for (var i = 0; i < WakeUpSpin.RememberedWakeUps; i++)
        {
            spin.Woke(3 * Microsecond);
        }

        Assert.Equal(3 * Microsecond, spin.Before(Ticks.FromSeconds(0.1)));
    }

    [Fact]
    public void A_late_wake_up_is_forgotten_once_as_many_later_ones_were_measured_as_are_remembered()
    {
        var spin = new WakeUpSpin();
        spin.Woke(900 * Microsecond);
        for (var i = 1; i < WakeUpSpin.RememberedWakeUps; i++)
        {
            spin.Woke((50 + i) * Microsecond);
            Assert.Equal(900 * Microsecond, spin.LatestWakeUp);
        }

        spin.Woke(40 * Microsecond);

        Assert.Equal(WakeUpSpin.RememberedWakeUps, spin.Remembered);
        Assert.Equal((50 + WakeUpSpin.RememberedWakeUps - 1) * Microsecond, spin.LatestWakeUp);
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(2_000)]
    [InlineData(8_000)]
    [InlineData(100_000)]
    public void At_high_rates_the_spin_stays_its_share_of_the_gap_between_calls_however_late_the_machine_woke(int rate)
    {
        var spin = new WakeUpSpin();
        spin.Woke(Ticks.FromSeconds(0.005));
        var gap = Ticks.FromSeconds(1.0 / rate);

        var before = spin.Before(gap);

        // Spinning before every call of a second costs at most this share of one core.
        Assert.True(before * rate <= Ticks.FromSeconds(WakeUpSpin.SpinShare) + rate, $"{Ticks.ToMicros(before)} µs before each of {rate} calls/s");
        Assert.True(before > 0);
    }

    [Fact]
    public void No_spin_is_longer_than_the_longest_that_a_wake_up_can_need()
    {
        var spin = new WakeUpSpin();
        spin.Woke(Ticks.FromSeconds(0.05));

        Assert.Equal(WakeUpSpin.MaxSpin, spin.Before(Ticks.FromSeconds(1)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1_000)]
    public void Calls_due_together_or_out_of_order_get_no_spin(long gap)
    {
        Assert.Equal(0, new WakeUpSpin().Before(gap));
    }

    [Fact]
    public void A_wake_up_reported_early_counts_as_on_time()
    {
        var spin = new WakeUpSpin();

        for (var i = 0; i < WakeUpSpin.RememberedWakeUps; i++)
        {
            spin.Woke(-5 * Microsecond);
        }

        Assert.Equal(0, spin.LatestWakeUp);
    }

    [Fact]
    public void A_wait_with_a_spin_returns_at_its_time_not_before()
    {
        foreach (var before in new[] { 0, WakeUpSpin.MaxSpin, Ticks.FromSeconds(0.02) })
        {
            var due = Stopwatch.GetTimestamp() + Ticks.FromSeconds(0.01);

            Assert.True(OpenLoop.SleepUntil(due, CancellationToken.None, before));

            Assert.True(Stopwatch.GetTimestamp() >= due, $"returned before its due time with a spin of {before} ticks");
        }
    }

    [Fact]
    public void Each_sleep_of_a_wait_tells_how_late_it_ended_and_a_wait_spun_whole_tells_nothing()
    {
        // A sleep over which a GC paused the process is not told (other tests allocate meanwhile): tried until one
        // sleep ran without a GC, which is then told. Bounded in time, not in tries: on 2 shared cores the parallel
        // tests once collected during each of 100 sleeps in a row (a fresh-clone CI run).
        WakeUpSpin spin;
        long due, returned;
        var trying = Stopwatch.StartNew();
        bool paused;
        do
        {
            spin = new WakeUpSpin();
            due = Stopwatch.GetTimestamp() + Ticks.FromSeconds(0.01);
            var pausedBefore = GC.GetTotalPauseDuration();
            OpenLoop.SleepUntil(due, CancellationToken.None, WakeUpSpin.MaxSpin, spin.Woke);
            returned = Stopwatch.GetTimestamp();
            paused = GC.GetTotalPauseDuration() != pausedBefore;
        }
        while (paused && trying.Elapsed < GcFreeSleepBound);

        Assert.False(paused, $"a GC paused every sleep for {GcFreeSleepBound.TotalSeconds} s");
        Assert.Equal(1, spin.Remembered);
        // The sleep ended at most as late past its own end (MaxSpin before due) as the wait returned past due + MaxSpin.
        Assert.InRange(spin.LatestWakeUp, 0, returned - (due - WakeUpSpin.MaxSpin));

        OpenLoop.SleepUntil(Stopwatch.GetTimestamp() + Ticks.FromSeconds(0.005), CancellationToken.None, Ticks.FromSeconds(0.02), spin.Woke);

        Assert.Equal(1, spin.Remembered);
    }

    [Fact]
    public void A_stop_ends_a_long_wait_within_the_longest_single_sleep()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var watch = Stopwatch.StartNew();

        var reached = OpenLoop.SleepUntil(Stopwatch.GetTimestamp() + Ticks.FromSeconds(60), stop.Token, WakeUpSpin.MaxSpin);

        Assert.False(reached);
        // Generous: a stop is seen after at most one 0.1 s sleep, on a busy machine later.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"{watch.Elapsed} to see a stop");
    }
}

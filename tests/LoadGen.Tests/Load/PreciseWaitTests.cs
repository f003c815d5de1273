using System.Diagnostics;
using GrpcLoadLab.LoadGen.Load;
using GrpcLoadLab.LoadGen.Metrics;

namespace GrpcLoadLab.LoadGen.Tests.Load;

public class PreciseWaitTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(40)]
    public void At_low_rates_the_dispatcher_spins_the_whole_window_before_a_due_time(int rate)
    {
        Assert.Equal(OpenLoop.MaxSpin, OpenLoop.SpinBefore(Ticks.FromSeconds(1.0 / rate)));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(2_000)]
    [InlineData(8_000)]
    [InlineData(100_000)]
    public void At_high_rates_the_spin_stays_a_small_share_of_the_gap_between_calls(int rate)
    {
        var gap = Ticks.FromSeconds(1.0 / rate);

        var spin = OpenLoop.SpinBefore(gap);

        // Spinning before every call of the second costs at most this share of one core.
        Assert.True(spin * rate <= Ticks.FromSeconds(OpenLoop.SpinShare), $"{Ticks.ToMicros(spin)} µs before each of {rate} calls/s");
        Assert.True(spin < OpenLoop.MaxSpin);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1_000)]
    public void Calls_due_together_or_out_of_order_get_no_spin(long gap)
    {
        Assert.Equal(0, OpenLoop.SpinBefore(gap));
    }

    [Fact]
    public void A_wait_with_a_spin_returns_at_its_time_not_before()
    {
        foreach (var spin in new[] { 0, OpenLoop.MaxSpin, Ticks.FromSeconds(0.02) })
        {
            var due = Stopwatch.GetTimestamp() + Ticks.FromSeconds(0.01);

            PreciseWait.Until(due, spin);

            Assert.True(Stopwatch.GetTimestamp() >= due, $"returned before its due time with a spin of {spin} ticks");
        }
    }

    [Fact]
    public void A_stop_ends_a_long_wait_within_the_longest_single_sleep()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var watch = Stopwatch.StartNew();

        var reached = OpenLoop.SleepUntil(Stopwatch.GetTimestamp() + Ticks.FromSeconds(60), stop.Token, OpenLoop.MaxSpin);

        Assert.False(reached);
        // Generous: a stop is seen after at most one 0.1 s sleep, on a busy machine later.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"{watch.Elapsed} to see a stop");
    }
}

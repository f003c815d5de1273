using GrpcLoadLab.LoadGen.Scenarios.Thresholds;

namespace GrpcLoadLab.LoadGen.Tests.Thresholds;

public class ThresholdTests
{
    // Latency at percentile q is q milliseconds: p50 = 50ms, p99.9 = 99.9ms.
    private static readonly ThresholdInputs Run = new(
        PercentileMicros: q => (long)Math.Round(q * 1000),
        MeanMicros: 12_500,
        MaxMicros: 250_000,
        Succeeded: 990,
        Failed: 10,
        Dropped: 3,
        CallsPerSecond: 1500);

    [Theory]
    [InlineData("p99 < 100ms", 99, "ms", true)]
    [InlineData("p99 < 99ms", 99, "ms", false)]
    [InlineData("p99 <= 99ms", 99, "ms", true)]
    [InlineData("p50 > 40000us", 50_000, "us", true)]
    [InlineData("p50 >= 50001us", 50_000, "us", false)]
    [InlineData("p99.9 < 0.1s", 0.0999, "s", true)]
    [InlineData("p99.99<100ms", 99.99, "ms", true)]
    [InlineData("p100 < 1s", 0.1, "s", true)]
    [InlineData("P90 < 95MS", 90, "ms", true)]
    [InlineData("mean < 12.5ms", 12.5, "ms", false)]
    [InlineData("mean <= 12.5ms", 12.5, "ms", true)]
    [InlineData("max < 1s", 0.25, "s", true)]
    [InlineData("max < 200ms", 250, "ms", false)]
    [InlineData("errors < 1%", 1, "%", false)]
    [InlineData("errors <= 1%", 1, "%", true)]
    [InlineData("errors < 10", 10, "calls", false)]
    [InlineData("errors <= 10", 10, "calls", true)]
    [InlineData("rps > 1000", 1500, "calls/s", true)]
    [InlineData("rps >= 2000", 1500, "calls/s", false)]
    [InlineData("dropped < 1", 3, "calls", false)]
    [InlineData("dropped <= 5", 3, "calls", true)]
    public void A_threshold_compares_the_measured_value_in_its_own_unit(string text, double actual, string unit, bool passed)
    {
        var threshold = Threshold.Parse(text);

        var result = threshold.Evaluate(Run);

        Assert.Equal(text, threshold.Text);
        Assert.Equal(actual, result.Actual, precision: 9);
        Assert.Equal(unit, threshold.Unit);
        Assert.Equal(passed, result.Passed);
    }

    [Fact]
    public void A_percentile_threshold_asks_for_its_percentile()
    {
        var asked = new List<double>();
        var inputs = Run with { PercentileMicros = q => { asked.Add(q); return 1; } };

        Threshold.Parse("p99.95 < 1ms").Evaluate(inputs);

        Assert.Equal([99.95], asked);
    }

    [Fact]
    public void Latency_is_compared_in_microseconds_whatever_the_unit()
    {
        // 1.001 * 1e6 in double arithmetic is 1000999.9999999999: a limit scaled that way would fail this.
        var inputs = Run with { MaxMicros = 1_001_000 };

        Assert.True(Threshold.Parse("max <= 1.001s").Evaluate(inputs).Passed);
        Assert.False(Threshold.Parse("max < 1.001s").Evaluate(inputs).Passed);
        Assert.True(Threshold.Parse("max <= 1001ms").Evaluate(inputs).Passed);
        Assert.Equal(1.001, Threshold.Parse("max <= 1.001s").Evaluate(inputs).Actual);
    }

    [Fact]
    public void With_no_ended_call_the_error_rate_is_zero()
    {
        var result = Threshold.Parse("errors < 1%").Evaluate(Run with { Succeeded = 0, Failed = 0 });

        Assert.Equal((0, true), result);
    }

    [Theory]
    [InlineData("", "threshold '': write METRIC OP VALUE with OP one of <, <=, >, >= — e.g. p99 < 50ms or errors < 1%")]
    [InlineData("p99", "threshold 'p99': write METRIC OP VALUE")]
    [InlineData("p99 = 5ms", "threshold 'p99 = 5ms': write METRIC OP VALUE with OP one of <, <=, >, >=")]
    [InlineData("p99 < fast", "threshold 'p99 < fast': write METRIC OP VALUE")]
    [InlineData("p99 < 1e3ms", "threshold 'p99 < 1e3ms': write METRIC OP VALUE")]
    [InlineData("p99 < 50", "threshold 'p99 < 50': give a unit (us, ms or s), e.g. p99 < 50ms")]
    [InlineData("mean < 2.5", "threshold 'mean < 2.5': give a unit (us, ms or s), e.g. mean < 2.5ms")]
    [InlineData("max < 5min", "threshold 'max < 5min': 'min' is not a latency unit — use us, ms or s, e.g. max < 50ms")]
    [InlineData("p99 < 5%", "threshold 'p99 < 5%': '%' is not a latency unit")]
    [InlineData("p99 < -5ms", "threshold 'p99 < -5ms': the value must not be negative, e.g. p99 < 5ms")]
    [InlineData("p0 < 5ms", "threshold 'p0 < 5ms': 'p0' is not a percentile: the number after p must be more than 0 and at most 100, e.g. p99.9")]
    [InlineData("p100.1 < 5ms", "threshold 'p100.1 < 5ms': 'p100.1' is not a percentile")]
    [InlineData("latency < 5ms", "threshold 'latency < 5ms': 'latency' is not a metric — use p50, p90, p99, p99.9 (any pNN between 0 and 100), mean, max, errors, rps or dropped")]
    [InlineData("pmax < 5ms", "threshold 'pmax < 5ms': 'pmax' is not a metric")]
    [InlineData("errors < 101%", "threshold 'errors < 101%': a percentage is at most 100, e.g. errors < 1%")]
    [InlineData("errors < 1ms", "threshold 'errors < 1ms': errors takes a percentage of ended calls or a count of failed calls, e.g. errors < 1% or errors < 10")]
    [InlineData("errors < 1.5", "threshold 'errors < 1.5': errors takes a whole number of calls, with no unit, e.g. errors < 10")]
    [InlineData("dropped < 1%", "threshold 'dropped < 1%': dropped takes a whole number of calls, with no unit, e.g. dropped < 10")]
    [InlineData("rps > 100/s", "threshold 'rps > 100/s': rps takes a number of calls a second, with no unit, e.g. rps > 1000")]
    public void A_bad_threshold_is_named_with_its_fix(string text, string message)
    {
        Assert.False(Threshold.TryParse(text, out var threshold, out var error));

        Assert.Null(threshold);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
        Assert.Equal(message, Assert.Throws<FormatException>(() => Threshold.Parse(text)).Message[..message.Length]);
    }

    [Fact]
    public void A_good_threshold_parses_with_no_error()
    {
        Assert.True(Threshold.TryParse("  p99 < 50ms ", out var threshold, out var error));

        Assert.Null(error);
        Assert.Equal("p99 < 50ms", threshold!.Text);
        Assert.Equal("ms", threshold.Unit);
    }
}

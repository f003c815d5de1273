using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Reports.Charts;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Tests.Reports;

public class HistogramBucketTests
{
    [Fact]
    public void The_buckets_count_calls_not_distinct_values()
    {
        // 1,000 calls at only three distinct values: one bar each, as tall as the calls at it.
        var histogram = LatencyHistogram.Create();
        histogram.RecordValueWithCount(20_000, 8);
        histogram.RecordValueWithCount(21_000, 32);
        histogram.RecordValueWithCount(42_000, 960);

        var buckets = Spectrum.Buckets(HistogramCodec.Encode(histogram));

        Assert.Equal(1_000, buckets.Sum(b => b.Calls));
        Assert.Equal([40, 960], buckets.Select(b => b.Calls));
    }

    [Theory]
    [InlineData("unary-open")]
    [InlineData("unary-closed")]
    [InlineData("bidi")]
    public void The_buckets_of_a_run_add_up_to_its_measured_calls(string name)
    {
        var latency = TestRuns.Read(name).Totals.Latency;

        var buckets = Spectrum.Buckets(latency.Encoded);

        Assert.Equal(latency.Count, buckets.Sum(b => b.Calls));
    }

    [Fact]
    public void Each_bucket_is_a_tenth_of_a_decade_wide_and_holds_its_values()
    {
        var histogram = LatencyHistogram.Create();
        foreach (var micros in new long[] { 150, 1_000, 1_250, 55_000, 900_000 })
        {
            histogram.RecordValue(micros);
        }

        var buckets = Spectrum.Buckets(HistogramCodec.Encode(histogram));

        Assert.All(buckets, b => Assert.Equal(0.1, b.UpperLog10Millis - b.LowerLog10Millis, 9));
        Assert.Equal(buckets.OrderBy(b => b.LowerLog10Millis), buckets);
        foreach (var millis in new[] { 0.15, 1.0, 1.25, 55.0, 900.0 })
        {
            Assert.Single(buckets, b => b.LowerMillis <= millis * 1.001 && millis < b.UpperMillis);
        }
    }
}

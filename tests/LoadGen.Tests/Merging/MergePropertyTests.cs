using GrpcLoadLab.LoadGen.Merging;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Tests.Reports;
using HdrHistogram;

namespace GrpcLoadLab.LoadGen.Tests.Merging;

/// <summary>
/// The merge is exact whatever the split: a recorded run's histogram dealt at random among 2 to 7 agents (each bucket's
/// calls cut at random, an agent may get none of a bucket or none at all of a second), merged back, reads the very same
/// at every percentile, in the totals and in every second.
/// </summary>
public class MergePropertyTests
{
    public static TheoryData<string, int> Splits()
    {
        var data = new TheoryData<string, int>();
        foreach (var run in new[] { "unary-closed", "unary-open", "bidi" })
        {
            foreach (var seed in Enumerable.Range(1, 12))
            {
                data.Add(run, seed);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void A_recorded_histogram_split_at_random_and_merged_reads_the_same_at_every_percentile(string run, int seed)
    {
        var random = new Random(seed);
        var whole = HistogramCodec.Decode(TestRuns.Read(run).Totals.Latency.Encoded);
        Assert.True(whole.TotalCount > 0);
        var count = random.Next(2, 8);
        var seconds = random.Next(1, 5);

        // Each bucket's calls cut among agent and second at random.
        var parts = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, seconds).Select(_ => AgentRuns.Histogram([])).ToArray()).ToArray();
        foreach (var bucket in whole.RecordedValues())
        {
            var left = bucket.CountAtValueIteratedTo;
            while (left > 0)
            {
                var take = random.NextInt64(1, left + 1);
                parts[random.Next(count)][random.Next(seconds)].RecordValueWithCount(bucket.ValueIteratedTo, take);
                left -= take;
            }
        }

        var agents = parts.Select((perSecond, i) => ($"agent-{i + 1}", AgentRuns.Agent(i + 1, count, Sum(perSecond), perSecond))).ToList();

        var merged = RunMerger.Merge(agents);

        var totals = HistogramCodec.Decode(merged.Totals.Latency.Encoded);
        Assert.Equal(whole.TotalCount, totals.TotalCount);
        Assert.Equal(whole.TotalCount, merged.Timeline.Sum(s => HistogramCodec.Decode(s.Histogram!).TotalCount));
        foreach (var percentile in MergeTests.Percentiles())
        {
            Assert.Equal(whole.GetValueAtPercentile(percentile), totals.GetValueAtPercentile(percentile));
        }

        Assert.Equal(whole.GetMaxValue(), merged.Totals.Latency.Max);
        Assert.Equal(Math.Round(whole.GetMean(), 1), merged.Totals.Latency.Mean);
        Assert.Equal(whole.GetValueAtPercentile(99.99), merged.Totals.Latency.P9999);
        for (var s = 0; s < seconds; s++)
        {
            var second = Sum(parts.Select(p => p[s]));
            Assert.Equal(second.TotalCount == 0 ? 0 : second.GetValueAtPercentile(99), merged.Timeline[s].P99);
        }
    }

    private static HistogramBase Sum(IEnumerable<HistogramBase> histograms)
    {
        var sum = AgentRuns.Histogram([]);
        foreach (var histogram in histograms)
        {
            sum.Add(histogram);
        }

        return sum;
    }
}

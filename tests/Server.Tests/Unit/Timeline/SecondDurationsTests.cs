using GrpcLoadLab.Server.Metrics.Timeline;
using HdrHistogram;

namespace GrpcLoadLab.Server.Tests.Unit.Timeline;

/// <summary>A second's durations, striped: the same figures and histogram as one concurrent histogram of the same values.</summary>
public class SecondDurationsTests
{
    [Fact]
    public async Task Durations_recorded_on_many_threads_give_the_figures_and_histogram_of_one_histogram_of_them_all()
    {
        var durations = new SecondDurations();
        // Spread over the whole range, with one beyond it and one negative (a clock step): clamped to its ends.
        long[] Values(int writer) => [.. Enumerable.Range(0, 5_000).Select(i => (long)Math.Pow(1.004, i) + writer), SecondDurations.HighestMicros + 1, -5];
        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(() =>
        {
            foreach (var micros in Values(writer))
            {
                durations.Record(micros);
            }
        })));
        var reference = new LongConcurrentHistogram(1, SecondDurations.HighestMicros, 3);
        var referenceTotal = 0L;
        foreach (var micros in Enumerable.Range(0, 8).SelectMany(Values).Select(m => Math.Clamp(m, 0, SecondDurations.HighestMicros)))
        {
            reference.RecordValue(micros);
            referenceTotal += micros;
        }

        var second = durations.Take();

        Assert.Equal(reference.TotalCount, second.Count);
        Assert.Equal(referenceTotal, second.TotalMicros);
        Assert.Equal(reference.GetMaxValue(), second.MaxMicros);
        Assert.Equal(reference.GetValueAtPercentile(50), second.P50Micros);
        Assert.Equal(reference.GetValueAtPercentile(90), second.P90Micros);
        Assert.Equal(reference.GetValueAtPercentile(99), second.P99Micros);
        Assert.Equal(SecondDurations.Encode(reference), second.Histogram);

        // The next second starts empty, and the stripes' spare histograms record as well as the first ones.
        Assert.Equal(0, durations.Take().Count);
        durations.Record(1_234);
        var third = durations.Take();
        Assert.Equal(1, third.Count);
        Assert.Equal(1_234, third.TotalMicros);
        Assert.Equal(reference.HighestEquivalentValue(1_234), third.MaxMicros);
    }
}

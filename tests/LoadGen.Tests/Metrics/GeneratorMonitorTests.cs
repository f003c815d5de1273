using GrpcLoadLab.LoadGen.Metrics;

namespace GrpcLoadLab.LoadGen.Tests.Metrics;

public class GeneratorMonitorTests
{
    [Fact]
    public void A_second_counts_the_collections_that_ran_in_it_and_not_those_before()
    {
        var monitor = new GeneratorMonitor();
        GC.Collect();
        // Read before the first sample, so that a collection between the two (parallel tests) is inside the bound.
        var before = GC.CollectionCount(0);
        _ = monitor.Sample(scheduleLagP99Micros: 0);

        GC.Collect(0);
        GC.Collect(2);
        GC.Collect(1);
        var second = monitor.Sample(scheduleLagP99Micros: 0);
        var after = GC.CollectionCount(0);

        // Others' collections in this process (parallel tests) can only add to the three, within what ran meanwhile.
        Assert.InRange(second.GcCollections ?? -1, 3, after - before);
        Assert.True(second.GcPauseMillis >= 0);
    }
}

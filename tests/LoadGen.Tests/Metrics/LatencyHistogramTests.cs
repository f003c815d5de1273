using GrpcLoadLab.LoadGen.Metrics;

namespace GrpcLoadLab.LoadGen.Tests.Metrics;

public class LatencyHistogramTests
{
    [Fact]
    public void An_interval_recorder_loses_no_value_when_many_threads_record_at_once()
    {
        // Every call records into the timeline's recorders from the thread its reply lands on: the interval taken
        // afterwards must count each of them, however the increments met.
        const int Threads = 8;
        const int ValuesEach = 200_000;
        var recorder = LatencyHistogram.CreateRecorder();
        using var start = new Barrier(Threads);

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
        {
            start.SignalAndWait();
            for (var i = 0; i < ValuesEach; i++)
            {
                // A few values only, so that the writers meet on the same counters.
                recorder.RecordClamped(1 + (i % 4));
            }
        });

        Assert.Equal((long)Threads * ValuesEach, recorder.GetIntervalHistogram().TotalCount);
    }
}

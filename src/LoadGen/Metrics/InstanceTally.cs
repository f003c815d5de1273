using HdrHistogram;

namespace GrpcLoadLab.LoadGen.Metrics;

/// <summary>The succeeded calls one instance served in one phase (by the id in its replies), and their latency.</summary>
internal sealed class InstanceTally
{
    private long _succeeded;

    public long SucceededCount => Volatile.Read(ref _succeeded);

    public HistogramBase Latency { get; } = LatencyHistogram.CreateConcurrent();

    public void Succeeded(long latencyMicros)
    {
        Interlocked.Increment(ref _succeeded);
        Latency.RecordClamped(latencyMicros);
    }
}

namespace GrpcLoadLab.Server.Metrics.Timeline;

/// <summary>A counter's increments within the current second; each lands in exactly one second.</summary>
internal sealed class SecondCount : Aggregation
{
    private long _count;

    public long Take() => Interlocked.Exchange(ref _count, 0);

    public override void Add(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Interlocked.Add(ref _count, value);

    public override void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Add((long)value, tags);
}

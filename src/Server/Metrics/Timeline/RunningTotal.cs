namespace GrpcLoadLab.Server.Metrics.Timeline;

/// <summary>An up-down counter's value: the sum of every change since the listener began (calls in flight, connections).</summary>
internal sealed class RunningTotal : Aggregation
{
    private long _total;

    public long Value => Interlocked.Read(ref _total);

    public override void Add(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Interlocked.Add(ref _total, value);

    public override void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Add((long)value, tags);
}

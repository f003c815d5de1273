namespace GrpcLoadLab.Server.Metrics.Timeline;

/// <summary>
/// What the timeline keeps of one instrument's measurements until the second closes. The meter listener hands each
/// measurement to its instrument's aggregation, on the thread that recorded it, so an aggregation is safe for many
/// writers at once.
/// </summary>
internal abstract class Aggregation
{
    public abstract void Add(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    public abstract void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);
}

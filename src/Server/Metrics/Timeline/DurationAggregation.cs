using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Server.Metrics.Timeline;

/// <summary>A histogram instrument's durations, in seconds, within the current second (ASP.NET Core's request durations).</summary>
internal sealed class DurationAggregation : Aggregation
{
    private readonly SecondDurations _durations = new();

    public DurationSecond Take() => _durations.Take();

    public override void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _durations.Record(SecondDurations.Micros(value));

    public override void Add(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Add((double)value, tags);
}

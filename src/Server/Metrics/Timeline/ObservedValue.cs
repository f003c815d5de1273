namespace GrpcLoadLab.Server.Metrics.Timeline;

/// <summary>
/// An observable instrument, read once a second when the timeline asks for it: the sum of its measurements over their
/// tags (CPU time of both modes, collections of every generation). A cumulative one (a counter) gives what it grew by
/// since the last reading; a gauge gives its value. Read only by the timeline's own loop, one reading at a time.
/// </summary>
internal sealed class ObservedValue(bool cumulative) : Aggregation
{
    private double _reading;
    private double _previous;

    /// <summary>What the last observation read: the growth since the one before (cumulative), or the value.</summary>
    public double Take()
    {
        var reading = _reading;
        _reading = 0;
        if (!cumulative)
        {
            return reading;
        }

        var growth = reading - _previous;
        _previous = reading;
        return growth;
    }

    public override void Add(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _reading += value;

    public override void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _reading += value;
}

namespace GrpcLoadLab.Server.Metrics.Timeline;

/// <summary>An up-down counter's value: the sum of every change since the listener began (connections, requests in flight).</summary>
internal sealed class RunningTotal : Aggregation
{
    // Kestrel's queued-requests counter changes twice a call: striped, two cores never contend for it.
    private readonly StripedCounters _total = new(1);

    public long Value => _total.Read(0);

    public override void Add(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _total.Add(0, value);

    public override void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Add((long)value, tags);
}

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// A second of the timeline with its real span: where it ended and how long it lasted, so that what it counted reads
/// as a rate (a last second of 0.6 s that served 230 calls ran at 383 calls/s, not 230). A second too short to make a
/// rate of (below <see cref="ShortestSeconds"/>) is left out: its calls are in every total, but a handful of calls
/// over a few milliseconds says nothing about a rate.
/// </summary>
public sealed record TimedSecond(TimelineSecond Second, double EndSeconds, double LengthSeconds)
{
    /// <summary>The shortest span read as a rate.</summary>
    public const double ShortestSeconds = 0.5;

    /// <summary><paramref name="count"/>, counted in this second, per second of its real length.</summary>
    public double Rate(double count) => count / LengthSeconds;

    /// <summary>
    /// The timeline's seconds that can be read as rates. Each recorded end gives the span since the previous one; in
    /// results written before ends were recorded every second is taken as one second long, except the last, whose
    /// length is unknown and which is left out (the run ended within it).
    /// </summary>
    public static IReadOnlyList<TimedSecond> Of(IReadOnlyList<TimelineSecond> timeline)
    {
        var timed = new List<TimedSecond>(timeline.Count);
        var previousEnd = 0.0;
        for (var i = 0; i < timeline.Count; i++)
        {
            var second = timeline[i];
            var end = second.EndSeconds ?? second.Second;
            var length = end - previousEnd;
            previousEnd = end;
            var lengthKnown = second.EndSeconds is not null || i < timeline.Count - 1;
            if (lengthKnown && length >= ShortestSeconds)
            {
                timed.Add(new TimedSecond(second, end, length));
            }
        }

        return timed;
    }
}

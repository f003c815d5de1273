namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// One server instance's own timeline over the run, as it sent it through <c>WatchStats</c>: the seconds that overlap
/// the run, in the order the instance closed them. An instance that does not serve <c>WatchStats</c> (any gRPC service
/// other than the lab's answers UNIMPLEMENTED) is listed with <see cref="NotFollowed"/> and no seconds: following it
/// is a figure beside the run, never a reason for the run to fail.
/// </summary>
/// <param name="Address">host:port, as the balancer knew it.</param>
/// <param name="InstanceId">The id the instance's seconds named; null when none arrived.</param>
/// <param name="NotFollowed">Why no second of the instance was kept (UNIMPLEMENTED, never reachable); null when followed.</param>
/// <param name="Seconds">Its seconds that overlap the run, in order; an instance restarted in the run starts again at index 0.</param>
/// <param name="Gaps">Seconds the instance closed but the generator never received (a stream that fell behind or broke for longer than the instance keeps).</param>
/// <param name="Reopened">How often the stream was opened again after it broke or ended (a restart, a drain, a lost connection).</param>
/// <param name="SecondsNotKept">Seconds past the most that are kept per instance (<c>ServerTimeline.MostSeconds</c>), counted but not kept.</param>
public sealed record ServerTimeline(
    string Address,
    string? InstanceId,
    string? NotFollowed,
    IReadOnlyList<ServerTimelineSecond> Seconds,
    IReadOnlyList<ServerTimelineGap> Gaps,
    int Reopened,
    long SecondsNotKept)
{
    /// <summary>The most seconds kept per instance: an hour, so that a long run's result stays a readable size.</summary>
    public const int MostSeconds = 3600;

    /// <summary>The most gaps listed per instance; more are counted in the last one's span.</summary>
    public const int MostGaps = 100;
}

/// <summary>
/// Seconds an instance closed that never reached the generator: indexes <paramref name="FromIndex"/> to
/// <paramref name="ToIndex"/>, between the seconds received that end at <paramref name="FromSeconds"/> and start at
/// <paramref name="ToSeconds"/> (seconds from the run's start).
/// </summary>
public sealed record ServerTimelineGap(long FromIndex, long ToIndex, double FromSeconds, double ToSeconds);

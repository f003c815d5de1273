using System.Text.Json.Serialization;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// What happened to the calls. Every started call ends exactly one way: Started = Succeeded + Failed + Cancelled.
/// Dropped calls (open model, over the outstanding bound) were never started; Late ones started after their time.
/// </summary>
public sealed record CallCounts(long Started, long Succeeded, long Failed, long Cancelled, long Dropped, long Late)
{
    public static CallCounts Zero { get; } = new(0, 0, 0, 0, 0, 0);

    public bool AddsUp => Started == Succeeded + Failed + Cancelled;

    /// <summary>
    /// The calls that ended with a status, succeeded or failed: what a run's figures are measured from (a cancelled
    /// call ended because the run did). None in the measured phases: the run measured nothing.
    /// </summary>
    [JsonIgnore]
    public long Ended => Succeeded + Failed;

    public CallCounts Plus(CallCounts other) => new(
        Started + other.Started,
        Succeeded + other.Succeeded,
        Failed + other.Failed,
        Cancelled + other.Cancelled,
        Dropped + other.Dropped,
        Late + other.Late);
}

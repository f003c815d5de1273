namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// What happened to the calls. Every started call ends exactly one way: Started = Succeeded + Failed + Cancelled.
/// Dropped calls (open model, over the outstanding bound) were never started; Late ones started after their time.
/// </summary>
public sealed record CallCounts(long Started, long Succeeded, long Failed, long Cancelled, long Dropped, long Late)
{
    public static CallCounts Zero { get; } = new(0, 0, 0, 0, 0, 0);

    public bool AddsUp => Started == Succeeded + Failed + Cancelled;

    public CallCounts Plus(CallCounts other) => new(
        Started + other.Started,
        Succeeded + other.Succeeded,
        Failed + other.Failed,
        Cancelled + other.Cancelled,
        Dropped + other.Dropped,
        Late + other.Late);
}

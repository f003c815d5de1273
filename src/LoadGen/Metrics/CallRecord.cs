using Grpc.Core;

namespace GrpcLoadLab.LoadGen.Metrics;

/// <summary>
/// What one call did, as its driver saw it. Timestamps are <see cref="System.Diagnostics.Stopwatch"/> readings.
/// </summary>
/// <param name="Scheduled">When the call was due: its planned start in the open model, its actual start in the closed one.</param>
/// <param name="FirstMessage">When the first reply arrived; 0 when none did.</param>
/// <param name="InstanceId">The instance the replies named; null when none arrived.</param>
/// <param name="Mismatch">
/// A call that ended OK but with a reply that failed the call's checks: how it failed them. Such a call counts as
/// failed, as <see cref="StatusNames.CheckFailed"/>. Null for every other call.
/// </param>
/// <param name="Failure">A failed call: why, as <see cref="FailureTally.Describe"/> told it. Null for a call that ended OK.</param>
internal readonly record struct CallRecord(
    long Scheduled,
    long Started,
    long FirstMessage,
    long Ended,
    StatusCode Status,
    bool CancelledByRun,
    string? InstanceId,
    long BytesSent,
    long BytesReceived,
    int MessagesSent,
    int MessagesReceived,
    string? Mismatch = null,
    string? Failure = null)
{
    /// <summary>Succeeded: status OK and every check held.</summary>
    public bool Succeeded => Status == StatusCode.OK && Mismatch is null;
}

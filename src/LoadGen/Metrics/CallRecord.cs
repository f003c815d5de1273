using Grpc.Core;

namespace GrpcLoadLab.LoadGen.Metrics;

/// <summary>
/// What one call did, as its driver saw it. Timestamps are <see cref="System.Diagnostics.Stopwatch"/> readings.
/// </summary>
/// <param name="Scheduled">When the call was due: its planned start in the open model, its actual start in the closed one.</param>
/// <param name="FirstMessage">When the first reply arrived; 0 when none did.</param>
/// <param name="InstanceId">The instance the replies named; null when none arrived.</param>
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
    int MessagesReceived);

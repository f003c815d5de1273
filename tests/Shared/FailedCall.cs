using Grpc.Core;

namespace GrpcLoadLab.Testing;

/// <summary>A call that failed, and when it started (a Stopwatch reading).</summary>
public sealed record FailedCall(Status Status, long Started);

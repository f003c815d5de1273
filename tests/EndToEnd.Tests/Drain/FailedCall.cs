using Grpc.Core;

namespace GrpcLoadLab.EndToEnd.Tests.Drain;

/// <summary>A call that failed, and when it started (a Stopwatch reading).</summary>
public sealed record FailedCall(Status Status, long Started);

using Grpc.Core;

namespace GrpcLoadLab.EndToEnd.Tests.Drain;

/// <summary>How one streaming call ended, and how many replies it got.</summary>
public sealed record StreamOutcome(string Kind, StatusCode Status, int Replies);

using Grpc.Health.V1;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Server.Probe;

/// <summary>
/// What one probe of one instance found: its health and, when it is the lab's server, its counters. A server without
/// grpc.health.v1 reads <see cref="AnswersReflection"/> or <see cref="AnswersGrpc"/>, and counts as ready.
/// </summary>
public sealed record ProbeResult(string Health, InstanceStats? Stats)
{
    /// <summary>No health service, but it lists its services by reflection.</summary>
    public const string AnswersReflection = "REFLECTION";

    /// <summary>Neither health nor reflection, but it answers gRPC calls (with UNIMPLEMENTED).</summary>
    public const string AnswersGrpc = "ACCEPTING";

    public static ProbeResult From(HealthCheckResponse.Types.ServingStatus status, InstanceStats? stats) =>
        new(status switch
        {
            HealthCheckResponse.Types.ServingStatus.Serving => "SERVING",
            HealthCheckResponse.Types.ServingStatus.NotServing => "NOT_SERVING",
            _ => status.ToString().ToUpperInvariant(),
        }, stats);

    public static ProbeResult Down(string health) => new(health, null);

    public bool IsReady => Health is "SERVING" or AnswersReflection or AnswersGrpc;

    /// <summary>Tab-separated: health, instance id, in flight, completed (all kinds), rejected; "-" where unknown.</summary>
    public override string ToString()
    {
        if (Stats is not { } s)
        {
            return $"{Health}\t-\t-\t-\t-";
        }

        var completed = s.Unary.Completed + s.ServerStream.Completed + s.ClientStream.Completed + s.Bidi.Completed;
        return $"{Health}\t{s.InstanceId}\t{s.InFlight}\t{completed}\t{s.Rejected}";
    }
}

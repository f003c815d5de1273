namespace GrpcLoadLab.Server.Metrics;

/// <summary>The four gRPC call kinds, used to index per-kind counters.</summary>
public enum CallKind
{
    Unary,
    ServerStream,
    ClientStream,
    Bidi,
}

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>The four gRPC call kinds of the lab service.</summary>
public enum CallKind
{
    Unary,
    ServerStream,
    ClientStream,
    Bidi,
}

using Grpc.Core;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Metrics;

/// <summary>gRPC's own status names (UNAVAILABLE, DEADLINE_EXCEEDED), as every gRPC tool prints them and scenarios spell them.</summary>
internal static class StatusNames
{
    /// <summary>The name; a code gRPC does not define (a server may send any number) as its number.</summary>
    public static string Of(StatusCode code) =>
        Enum.IsDefined(code) ? Spellings.Status.Name(code) : ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

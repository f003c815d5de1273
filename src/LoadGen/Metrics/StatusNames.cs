using Grpc.Core;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Metrics;

/// <summary>gRPC's own status names (UNAVAILABLE, DEADLINE_EXCEEDED), as every gRPC tool prints them and scenarios spell them.</summary>
internal static class StatusNames
{
    /// <summary>Calls that ended OK with a reply that failed the call's checks (<c>call.expect</c>): failed, under a name of their own.</summary>
    public const string CheckFailed = "CHECK_FAILED";

    /// <summary>The name; a code gRPC does not define (a server may send any number) as its number.</summary>
    public static string Of(StatusCode code) =>
        Enum.IsDefined(code) ? Spellings.Status.Name(code) : ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

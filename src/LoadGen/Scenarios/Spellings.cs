using System.Text.Json;
using Grpc.Core;
using GrpcLoadLab.Balancer;

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>The names of the scenario's enum values, shared by the scenario file and the command line.</summary>
public static class Spellings
{
    /// <summary><c>round_robin</c>, <c>pick_first</c>, <c>least_outstanding</c>: the names gRPC gives these policies.</summary>
    public static EnumSpelling<BalancingPolicy> Policy { get; } = new(JsonNamingPolicy.SnakeCaseLower);

    /// <summary><c>none</c>, <c>retry</c>, <c>hedging</c>.</summary>
    public static EnumSpelling<RetryMode> Retry { get; } = new(JsonNamingPolicy.SnakeCaseLower);

    /// <summary><c>unary</c>, <c>server-stream</c>, <c>client-stream</c>, <c>bidi</c>.</summary>
    public static EnumSpelling<CallKind> CallKind { get; } = new(JsonNamingPolicy.KebabCaseLower);

    /// <summary>gRPC's own status names, as every gRPC tool prints them: <c>OK</c>, <c>UNAVAILABLE</c>, <c>INVALID_ARGUMENT</c>...</summary>
    public static EnumSpelling<StatusCode> Status { get; } = new(JsonNamingPolicy.SnakeCaseUpper);

    /// <summary>The spelling of an enum type of the scenario; null for any other type.</summary>
    public static IEnumSpelling? Of(Type type) =>
        type == typeof(BalancingPolicy) ? Policy
        : type == typeof(RetryMode) ? Retry
        : type == typeof(CallKind) ? CallKind
        : type == typeof(StatusCode) ? Status
        : null;
}

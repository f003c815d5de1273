using System.Text.Json;
using System.Text.Json.Nodes;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Reports.Figures;

/// <summary>
/// A run's set-up as the pages show it: the scenario as result.json holds it, without the call fields that its kind
/// never uses (a unary call sends no <c>messages</c> and gets no <c>replies</c>) nor those of the other sort of call
/// (the lab server's work, or a schema's method and request), and phases named once.
/// </summary>
internal static class ScenarioView
{
    public static JsonNode Of(Scenario scenario)
    {
        var node = JsonSerializer.SerializeToNode(scenario, ResultJson.Options)!;
        if (node["call"] is JsonObject call)
        {
            foreach (var field in UnusedCallFields(scenario.Call))
            {
                call.Remove(field);
            }
        }

        return node;
    }

    /// <summary>The call kind, and what each call does when the scenario says (a C# scenario's step always does).</summary>
    public static string CallLabel(CallSpec call) =>
        call.Description is { } description ? $"{Spellings.CallKind.Name(call.Kind)}: {description}" : Spellings.CallKind.Name(call.Kind);

    /// <summary>A phase's name, marked when the figures leave it out: "warm-up (excluded)", "ramp (warm-up, excluded)".</summary>
    public static string PhaseLabel(PhaseResult phase) =>
        !phase.Warmup ? phase.Name
        : phase.Name.Contains("warm", StringComparison.OrdinalIgnoreCase) ? $"{phase.Name} (excluded)"
        : $"{phase.Name} (warm-up, excluded)";

    private static string[] UnusedCallFields(CallSpec call) =>
    [
        .. call.Kind switch
        {
            CallKind.Unary => ["replies", "messages", "messageInterval"],
            CallKind.ServerStream => ["messages", "messageInterval"],
            _ => new[] { "replies" },
        },
        .. call.Method is null
            ? ["method", "protos", "importPaths", "descriptorSet", "request", "requests", "randomRequests", "metadata", "expect"]
            : new[] { "requestSize", "replySize", "replies", "delay", "cpu" },
    ];
}

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>One instance's own counters (its GetStats reply, as JSON) at the start and at the end of the run.</summary>
public sealed record ServerStatsPair(string Address, System.Text.Json.Nodes.JsonNode? Start, System.Text.Json.Nodes.JsonNode? End);

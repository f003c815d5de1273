using System.Text.Json.Serialization;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>One instance's own counters (its GetStats reply) at the start and at the end of the run; null when it did not answer.</summary>
public sealed record ServerStatsPair(
    string Address,
    [property: JsonConverter(typeof(InstanceStatsJsonConverter))] InstanceStats? Start,
    [property: JsonConverter(typeof(InstanceStatsJsonConverter))] InstanceStats? End);

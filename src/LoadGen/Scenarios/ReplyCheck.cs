using System.Text.Json;
using System.Text.Json.Serialization;

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// A check on the replies of a call of any service: the value at <see cref="Path"/> in each reply, read as the proto3
/// JSON mapping writes it, equals <see cref="Value"/>; a call with a reply where it does not is counted as failed.
/// </summary>
public sealed record ReplyCheck
{
    /// <summary>Where in the reply: <c>$</c>, then <c>.field</c>, <c>[index]</c> or <c>["map key"]</c>, e.g. <c>$.location.latitude</c>.</summary>
    public required string Path { get; init; }

    /// <summary>The value expected there, as JSON (key <c>equals</c>).</summary>
    [JsonPropertyName("equals")]
    public required JsonElement Value { get; init; }

    /// <summary>Value equality of the expected JSON too (a record compares a <see cref="JsonElement"/> by reference).</summary>
    public bool Equals(ReplyCheck? other) => other is not null && Path == other.Path && JsonElement.DeepEquals(Value, other.Value);

    public override int GetHashCode() => Path.GetHashCode(StringComparison.Ordinal);
}

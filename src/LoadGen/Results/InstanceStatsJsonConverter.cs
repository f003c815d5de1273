using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Google.Protobuf;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// A GetStats reply as the result keeps it: protobuf's own JSON mapping (camelCase names, 64-bit counters as strings,
/// zeros left out), so that any protobuf tool reads it, and a counter added to the contract is kept without a change here.
/// </summary>
internal sealed class InstanceStatsJsonConverter : JsonConverter<InstanceStats>
{
    // A result written by a later contract may hold counters this one does not know: they are skipped, not refused.
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public override InstanceStats Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        try
        {
            return Parser.Parse<InstanceStats>(document.RootElement.GetRawText());
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            throw new JsonException($"not a GetStats reply: {e.Message}", e);
        }
    }

    // Written through a JSON node, so that the result's own options (its indentation) lay it out like the rest of the file.
    public override void Write(Utf8JsonWriter writer, InstanceStats value, JsonSerializerOptions options) =>
        JsonNode.Parse(JsonFormatter.Default.Format(value))!.WriteTo(writer, options);
}

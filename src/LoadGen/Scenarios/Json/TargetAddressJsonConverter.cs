using System.Text.Json;
using System.Text.Json.Serialization;

namespace GrpcLoadLab.LoadGen.Scenarios.Json;

/// <summary>A target as the file writes it: its text (<c>"file:.lab/servers.txt"</c>), parsed when read.</summary>
internal sealed class TargetAddressJsonConverter : JsonConverter<TargetAddress>
{
    public override TargetAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && TargetAddress.TryParse(reader.GetString()!, out var address, out _)
            ? address
            // No message: the loader explains the value it finds at the exception's path.
            : throw new JsonException();

    public override void Write(Utf8JsonWriter writer, TargetAddress value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Text);
}

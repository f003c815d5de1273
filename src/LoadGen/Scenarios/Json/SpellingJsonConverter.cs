using System.Text.Json;
using System.Text.Json.Serialization;

namespace GrpcLoadLab.LoadGen.Scenarios.Json;

/// <summary>Reads and writes an enum by its <see cref="EnumSpelling{T}"/> name; numbers are refused.</summary>
internal sealed class SpellingJsonConverter<T>(EnumSpelling<T> spelling) : JsonConverter<T>
    where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && spelling.TryParse(reader.GetString(), out var value)
            ? value
            // No message: the loader explains the value it finds at the exception's path.
            : throw new JsonException();

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(spelling.Name(value));
}

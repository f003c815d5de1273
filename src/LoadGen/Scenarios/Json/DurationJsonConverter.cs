using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using GrpcLoadLab.Common;

namespace GrpcLoadLab.LoadGen.Scenarios.Json;

/// <summary>Durations as people write them (<c>"500ms"</c>, <c>"10s"</c>, <c>"2m"</c>), read and written.</summary>
internal sealed class DurationJsonConverter : JsonConverter<TimeSpan>
{
    // Largest first, so that a duration is written in the largest unit that holds it exactly.
    private static readonly (string Suffix, double Microseconds)[] Units = [("h", 3_600_000_000), ("m", 60_000_000), ("s", 1_000_000), ("ms", 1_000)];

    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && DurationParser.TryParse(reader.GetString(), out var duration)
            ? duration
            // No message: the loader explains the value it finds at the exception's path.
            : throw new JsonException();

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Format(value));

    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var micros = value.TotalMicroseconds;
        foreach (var (suffix, size) in Units)
        {
            if (micros % size == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{micros / size}{suffix}");
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{micros}us");
    }
}

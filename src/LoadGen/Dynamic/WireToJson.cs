using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace GrpcLoadLab.LoadGen.Dynamic;

/// <summary>
/// Decodes a message's wire bytes into its JSON (the proto3 JSON mapping), by its descriptor: what Google.Protobuf's
/// JsonFormatter.Default writes for a compiled type (defaults left out, 64-bit integers as strings, enums by name,
/// bytes in base64). Fields the descriptor does not know are skipped, as the formatter skips unknown fields; the
/// well-known types' JSON forms are Google.Protobuf's own.
/// </summary>
internal sealed class WireToJson(SchemaTypes types)
{
    /// <exception cref="InvalidProtocolBufferException">The bytes are no message of that type.</exception>
    /// <exception cref="FormatException">An Any in them holds a type the schema does not know.</exception>
    public string Decode(MessageDescriptor type, ByteString bytes)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteMessage(writer, type, bytes);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The JSON of a singular scalar or enum field's default value: what a reply that leaves the field out holds.</summary>
    public string DefaultJson(FieldDescriptor field)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteValue(writer, field, DefaultOf(field));
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private void WriteMessage(Utf8JsonWriter writer, MessageDescriptor type, ByteString bytes)
    {
        if (WellKnownTypes.WithSpecialJson(type) is { } compiled)
        {
            writer.WriteRawValue(JsonFormatter.Default.Format(compiled.Parser.ParseFrom(bytes)));
            return;
        }

        var fields = Read(type, bytes);
        writer.WriteStartObject();
        if (type.FullName == WellKnownTypes.AnyName)
        {
            WriteAnyFields(writer, type, fields);
        }
        else
        {
            WriteFields(writer, fields);
        }

        writer.WriteEndObject();
    }

    private void WriteFields(Utf8JsonWriter writer, Dictionary<FieldDescriptor, List<object>> fields)
    {
        foreach (var (field, values) in fields.OrderBy(pair => pair.Key.FieldNumber))
        {
            if (field.IsMap)
            {
                writer.WritePropertyName(field.JsonName);
                writer.WriteStartObject();
                var (keyField, valueField) = (field.MessageType.FindFieldByNumber(1), field.MessageType.FindFieldByNumber(2));
                foreach (ByteString entryBytes in values)
                {
                    var entry = Read(field.MessageType, entryBytes);
                    writer.WritePropertyName(MapKeyText(entry.TryGetValue(keyField, out var key) ? key[^1] : DefaultOf(keyField)));
                    WriteValue(writer, valueField, entry.TryGetValue(valueField, out var value) ? Single(valueField, value) : DefaultOf(valueField));
                }

                writer.WriteEndObject();
            }
            else if (field.IsRepeated)
            {
                writer.WritePropertyName(field.JsonName);
                writer.WriteStartArray();
                foreach (var value in values)
                {
                    WriteValue(writer, field, value);
                }

                writer.WriteEndArray();
            }
            else
            {
                var value = Single(field, values);
                // Without presence, a default value is no value (an encoder may still have sent it).
                if (field.HasPresence || !IsDefault(value))
                {
                    writer.WritePropertyName(field.JsonName);
                    WriteValue(writer, field, value);
                }
            }
        }
    }

    /// <summary>"@type", then the packed message's fields (a well-known type's JSON as "value").</summary>
    private void WriteAnyFields(Utf8JsonWriter writer, MessageDescriptor any, Dictionary<FieldDescriptor, List<object>> fields)
    {
        var url = fields.TryGetValue(any.FindFieldByNumber(1), out var urls) ? (string)urls[^1] : string.Empty;
        var value = fields.TryGetValue(any.FindFieldByNumber(2), out var values) ? (ByteString)values[^1] : ByteString.Empty;
        writer.WriteString("@type", url);
        var packed = types.Find(url[(url.LastIndexOf('/') + 1)..])
            ?? throw new FormatException($"an Any holds the type '{url}', which the schema does not know");
        if (WellKnownTypes.WithSpecialJson(packed) is not null)
        {
            writer.WritePropertyName("value");
            WriteMessage(writer, packed, value);
        }
        else
        {
            WriteFields(writer, Read(packed, value));
        }
    }

    private void WriteValue(Utf8JsonWriter writer, FieldDescriptor field, object value)
    {
        switch (value)
        {
            case ByteString bytes when field.FieldType == FieldType.Message:
                WriteMessage(writer, field.MessageType, bytes);
                break;
            case ByteString bytes:
                writer.WriteStringValue(bytes.ToBase64());
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case double number:
                WriteFloatingPoint(writer, number, () => writer.WriteNumberValue(number));
                break;
            case float number:
                WriteFloatingPoint(writer, number, () => writer.WriteNumberValue(number));
                break;
            case int number when field.FieldType == FieldType.Enum:
                WriteEnum(writer, field.EnumType, number);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case uint number:
                writer.WriteNumberValue(number);
                break;
            default:
                // 64-bit integers are strings: JavaScript's numbers would lose their low digits.
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static void WriteFloatingPoint(Utf8JsonWriter writer, double number, Action writeFinite)
    {
        if (double.IsNaN(number))
        {
            writer.WriteStringValue("NaN");
        }
        else if (double.IsInfinity(number))
        {
            writer.WriteStringValue(number > 0 ? "Infinity" : "-Infinity");
        }
        else
        {
            writeFinite();
        }
    }

    private static void WriteEnum(Utf8JsonWriter writer, EnumDescriptor type, int number)
    {
        if (type.FullName == "google.protobuf.NullValue")
        {
            writer.WriteNullValue();
        }
        else if (type.FindValueByNumber(number) is { } known)
        {
            writer.WriteStringValue(known.Name);
        }
        else
        {
            writer.WriteNumberValue(number);
        }
    }

    /// <summary>The fields present in <paramref name="bytes"/>, each with its values in wire order.</summary>
    private static Dictionary<FieldDescriptor, List<object>> Read(MessageDescriptor type, ByteString bytes)
    {
        var fields = new Dictionary<FieldDescriptor, List<object>>();
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = type.FindFieldByNumber(WireFormat.GetTagFieldNumber(tag));
            if (field is null || field.FieldType == FieldType.Group)
            {
                input.SkipLastField();
                continue;
            }

            if (!fields.TryGetValue(field, out var values))
            {
                fields[field] = values = [];
            }

            if (field.IsRepeated && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited
                && field.FieldType is not (FieldType.String or FieldType.Bytes or FieldType.Message))
            {
                // Packed: the values one after another, in one length-delimited field.
                var packed = input.ReadBytes().CreateCodedInput();
                while (!packed.IsAtEnd)
                {
                    values.Add(ReadValue(packed, field));
                }
            }
            else
            {
                values.Add(ReadValue(input, field));
            }
        }

        return fields;
    }

    private static object ReadValue(CodedInputStream input, FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Double => input.ReadDouble(),
        FieldType.Float => input.ReadFloat(),
        FieldType.Int64 => input.ReadInt64(),
        FieldType.UInt64 => input.ReadUInt64(),
        FieldType.Int32 => input.ReadInt32(),
        FieldType.Fixed64 => input.ReadFixed64(),
        FieldType.Fixed32 => input.ReadFixed32(),
        FieldType.Bool => input.ReadBool(),
        FieldType.String => input.ReadString(),
        FieldType.UInt32 => input.ReadUInt32(),
        FieldType.SFixed32 => input.ReadSFixed32(),
        FieldType.SFixed64 => input.ReadSFixed64(),
        FieldType.SInt32 => input.ReadSInt32(),
        FieldType.SInt64 => input.ReadSInt64(),
        FieldType.Enum => input.ReadEnum(),
        _ => input.ReadBytes(),
    };

    /// <summary>
    /// A singular field's value: the last one on the wire, but a message's occurrences merge, which concatenating
    /// their bytes does.
    /// </summary>
    // CA1859 misreads this: only message fields' values are ByteStrings, the others are numbers, strings and bools.
#pragma warning disable CA1859
    private static object Single(FieldDescriptor field, List<object> values) =>
        field.FieldType == FieldType.Message ? Merged(values) : values[^1];
#pragma warning restore CA1859

    private static ByteString Merged(List<object> occurrences) =>
        occurrences.Count == 1
            ? (ByteString)occurrences[0]
            : ByteString.CopyFrom([.. occurrences.Cast<ByteString>().SelectMany(bytes => bytes.ToByteArray())]);

    private static object DefaultOf(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Double => 0d,
        FieldType.Float => 0f,
        FieldType.Int64 or FieldType.SFixed64 or FieldType.SInt64 => 0L,
        FieldType.UInt64 or FieldType.Fixed64 => 0UL,
        FieldType.UInt32 or FieldType.Fixed32 => 0U,
        FieldType.Bool => false,
        FieldType.String => string.Empty,
        FieldType.Bytes or FieldType.Message => ByteString.Empty,
        _ => 0,
    };

    private static bool IsDefault(object value) => value switch
    {
        ByteString bytes => bytes.IsEmpty,
        string text => text.Length == 0,
        bool flag => !flag,
        double number => number == 0 && !double.IsNegative(number),
        float number => number == 0 && !float.IsNegative(number),
        _ => Convert.ToDecimal(value, CultureInfo.InvariantCulture) == 0,
    };

    private static string MapKeyText(object key) => key switch
    {
        bool flag => flag ? "true" : "false",
        _ => Convert.ToString(key, CultureInfo.InvariantCulture)!,
    };
}

using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Dynamic;

/// <summary>
/// Encodes a JSON request (the proto3 JSON mapping) into a message's wire bytes, by its descriptor: the bytes that
/// Google.Protobuf's JsonParser and ToByteArray would give on a compiled type (fields in number order, packed repeated
/// scalars, defaults left out). Google.Protobuf for C# has no dynamic message, so this walks the descriptor itself;
/// the well-known types' JSON forms are Google.Protobuf's own. A request is encoded once (per distinct template
/// value), never per call, so this is written for clarity, not speed.
/// </summary>
internal sealed class JsonToWire(SchemaTypes types)
{
    /// <summary>How a request's JSON is read: as deep as <see cref="ScenarioLoader.RequestDepth"/>.</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = ScenarioLoader.RequestDepth };

    /// <summary>The wire bytes of <paramref name="json"/> as a <paramref name="type"/>.</summary>
    /// <param name="where">What the JSON is, for errors: e.g. <c>request</c>, or <c>requests.jsonl line 3</c>.</param>
    /// <exception cref="DynamicCallException">The JSON does not fit the message: one line naming the field.</exception>
    public byte[] Encode(MessageDescriptor type, JsonElement json, string where)
    {
        using var buffer = new WireBuffer();
        WriteMessage(buffer, type, json, where);
        return buffer.ToArray();
    }

    /// <summary>The field of <paramref name="type"/> named <paramref name="name"/>, as in the .proto or in lowerCamelCase.</summary>
    /// <exception cref="DynamicCallException">The message has no such field: the fields it has, at <paramref name="path"/>.</exception>
    public static FieldDescriptor FindField(MessageDescriptor type, string name, string path) =>
        type.FindFieldByName(name) ?? type.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == name)
        ?? throw new DynamicCallException($"{path}: the message {type.FullName} has no field '{name}' (its fields: {string.Join(", ", type.Fields.InDeclarationOrder().Select(f => f.JsonName))})");

    private void WriteMessage(WireBuffer output, MessageDescriptor type, JsonElement json, string path)
    {
        if (WellKnownTypes.WithSpecialJson(type) is { } compiled)
        {
            output.WriteRaw(ParseWellKnown(compiled, json, path));
            return;
        }

        if (type.FullName == WellKnownTypes.AnyName)
        {
            WriteAny(output, type, json, path);
            return;
        }

        Expect(json, JsonValueKind.Object, path, $"an object (a {type.FullName})");
        var values = new Dictionary<FieldDescriptor, JsonElement>();
        var oneofs = new Dictionary<OneofDescriptor, string>();
        foreach (var property in json.EnumerateObject())
        {
            var field = FindField(type, property.Name, path);
            if (!values.TryAdd(field, property.Value))
            {
                throw new DynamicCallException($"{path}: the field '{field.JsonName}' is given twice");
            }

            if (field.RealContainingOneof is { } oneof && property.Value.ValueKind != JsonValueKind.Null && !oneofs.TryAdd(oneof, field.JsonName))
            {
                throw new DynamicCallException($"{path}: '{oneofs[oneof]}' and '{field.JsonName}' are both of the oneof '{oneof.Name}': give one");
            }
        }

        foreach (var field in type.Fields.InFieldNumberOrder())
        {
            if (values.TryGetValue(field, out var value))
            {
                WriteField(output, field, value, $"{path}.{field.JsonName}");
            }
        }
    }

    private void WriteField(WireBuffer output, FieldDescriptor field, JsonElement value, string path)
    {
        // null is the default: nothing is written (but a Value's null is a value, its null_value).
        if (value.ValueKind == JsonValueKind.Null && !(field.FieldType == FieldType.Message && field.MessageType.FullName == "google.protobuf.Value"))
        {
            return;
        }

        if (field.IsMap)
        {
            Expect(value, JsonValueKind.Object, path, "an object (a map)");
            var (keyField, valueField) = (field.MessageType.FindFieldByNumber(1), field.MessageType.FindFieldByNumber(2));
            foreach (var entry in value.EnumerateObject())
            {
                var entryPath = $"{path}[\"{entry.Name}\"]";
                using var entryBytes = new WireBuffer();
                WriteSingle(entryBytes, keyField, MapKey(keyField, entry.Name, entryPath), entryPath, skipDefault: true);
                WriteSingle(entryBytes, valueField, entry.Value, entryPath, skipDefault: true);
                WriteLengthDelimited(output, field.FieldNumber, entryBytes.ToArray());
            }
        }
        else if (field.IsRepeated)
        {
            Expect(value, JsonValueKind.Array, path, "an array");
            if (IsPacked(field) && value.GetArrayLength() > 0)
            {
                using var packed = new WireBuffer();
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    WriteValue(packed, field, item, $"{path}[{index++}]");
                }

                WriteLengthDelimited(output, field.FieldNumber, packed.ToArray());
            }
            else
            {
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    WriteSingle(output, field, item, $"{path}[{index++}]", skipDefault: false);
                }
            }
        }
        else
        {
            // Fields with presence (messages, oneof members, proto3 optional) are written even when default.
            WriteSingle(output, field, value, path, skipDefault: !field.HasPresence);
        }
    }

    /// <summary>One value with its tag; a default value is left out where <paramref name="skipDefault"/>.</summary>
    private void WriteSingle(WireBuffer output, FieldDescriptor field, JsonElement value, string path, bool skipDefault)
    {
        using var buffer = new WireBuffer();
        WriteValue(buffer, field, value, path);
        var bytes = buffer.ToArray();
        if (skipDefault && field.FieldType != FieldType.Message && IsDefault(bytes, field))
        {
            return;
        }

        output.Output.WriteTag(field.FieldNumber, WireTypeOf(field));
        output.WriteRaw(bytes);
    }

    private static void WriteLengthDelimited(WireBuffer output, int fieldNumber, byte[] bytes)
    {
        output.Output.WriteTag(fieldNumber, WireFormat.WireType.LengthDelimited);
        output.Output.WriteBytes(UnsafeByteOperations.UnsafeWrap(bytes));
    }

    /// <summary>The value alone, without its tag (messages, strings and bytes with their length).</summary>
    private void WriteValue(WireBuffer buffer, FieldDescriptor field, JsonElement value, string path)
    {
        var output = buffer.Output;
        switch (field.FieldType)
        {
            case FieldType.Double: output.WriteDouble(ReadFloatingPoint(value, path, isFloat: false)); break;
            case FieldType.Float: output.WriteFloat((float)ReadFloatingPoint(value, path, isFloat: true)); break;
            case FieldType.Int64: output.WriteInt64(ReadInteger<long>(value, path)); break;
            case FieldType.UInt64: output.WriteUInt64(ReadInteger<ulong>(value, path)); break;
            case FieldType.Int32: output.WriteInt32(ReadInteger<int>(value, path)); break;
            case FieldType.Fixed64: output.WriteFixed64(ReadInteger<ulong>(value, path)); break;
            case FieldType.Fixed32: output.WriteFixed32(ReadInteger<uint>(value, path)); break;
            case FieldType.Bool: output.WriteBool(ReadBool(value, path)); break;
            case FieldType.String: output.WriteString(ReadString(value, path, "a string")); break;
            case FieldType.Bytes: output.WriteBytes(ReadBytes(value, path)); break;
            case FieldType.UInt32: output.WriteUInt32(ReadInteger<uint>(value, path)); break;
            case FieldType.SFixed32: output.WriteSFixed32(ReadInteger<int>(value, path)); break;
            case FieldType.SFixed64: output.WriteSFixed64(ReadInteger<long>(value, path)); break;
            case FieldType.SInt32: output.WriteSInt32(ReadInteger<int>(value, path)); break;
            case FieldType.SInt64: output.WriteSInt64(ReadInteger<long>(value, path)); break;
            case FieldType.Enum: output.WriteEnum(ReadEnum(field.EnumType, value, path)); break;
            case FieldType.Message:
                using (var message = new WireBuffer())
                {
                    WriteMessage(message, field.MessageType, value, path);
                    output.WriteBytes(UnsafeByteOperations.UnsafeWrap(message.ToArray()));
                }

                break;
            default:
                throw new DynamicCallException($"{path}: fields of type {field.FieldType} (proto2 groups) are not supported");
        }
    }

    /// <summary>{"@type": "type.googleapis.com/pkg.Message", ...its fields} (a well-known type's: "value").</summary>
    private void WriteAny(WireBuffer output, MessageDescriptor any, JsonElement json, string path)
    {
        Expect(json, JsonValueKind.Object, path, "an object with \"@type\" (a google.protobuf.Any)");
        if (!json.TryGetProperty("@type", out var typeUrl) || typeUrl.ValueKind != JsonValueKind.String)
        {
            throw new DynamicCallException($"{path}: a google.protobuf.Any needs \"@type\": \"type.googleapis.com/PACKAGE.MESSAGE\"");
        }

        var url = typeUrl.GetString()!;
        var packed = types.Find(url[(url.LastIndexOf('/') + 1)..])
            ?? throw new DynamicCallException($"{path}: the Any's type '{url}' is not in the schema (known types are the schema's messages and the well-known types)");
        byte[] value;
        if (WellKnownTypes.WithSpecialJson(packed) is not null)
        {
            value = json.TryGetProperty("value", out var wellKnown)
                ? Encode(packed, wellKnown, $"{path}.value")
                : throw new DynamicCallException($"{path}: an Any of the well-known type {packed.FullName} gives it as \"value\"");
        }
        else
        {
            // The Any's object is the packed message's, with "@type" beside its fields.
            using var fields = new MemoryStream();
            using (var writer = new Utf8JsonWriter(fields))
            {
                writer.WriteStartObject();
                foreach (var property in json.EnumerateObject().Where(p => p.Name != "@type"))
                {
                    property.WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            using var document = JsonDocument.Parse(fields.ToArray(), DocumentOptions);
            value = Encode(packed, document.RootElement, path);
        }

        // type_url (1), then value (2), left out when empty as any default.
        output.Output.WriteTag(any.FindFieldByNumber(1).FieldNumber, WireFormat.WireType.LengthDelimited);
        output.Output.WriteString(url);
        if (value.Length > 0)
        {
            WriteLengthDelimited(output, any.FindFieldByNumber(2).FieldNumber, value);
        }
    }

    private static byte[] ParseWellKnown(MessageDescriptor compiled, JsonElement json, string path)
    {
        try
        {
            return JsonParser.Default.Parse(json.GetRawText(), compiled).ToByteArray();
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException or InvalidOperationException)
        {
            throw new DynamicCallException($"{path}: not a {compiled.FullName} in its JSON form ({e.Message})");
        }
    }

    private static JsonElement MapKey(FieldDescriptor keyField, string key, string path)
    {
        // Keys are strings in JSON whatever their type: a number or bool key is read from its text.
        var json = keyField.FieldType != FieldType.Bool ? JsonSerializer.Serialize(key)
            : key is "true" or "false" ? key
            : throw new DynamicCallException($"{path}: a bool map key is \"true\" or \"false\", not \"{key}\"");
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>A number, enum or bool that is zero (floating point: all bits, so -0.0 is no default), or an empty string.</summary>
    private static bool IsDefault(byte[] encoded, FieldDescriptor field) =>
        field.FieldType is FieldType.String or FieldType.Bytes ? encoded is [0] : !encoded.AsSpan().ContainsAnyExcept((byte)0);

    /// <summary>Repeated numbers, enums and bools go packed in proto3 unless the field says otherwise.</summary>
    private static bool IsPacked(FieldDescriptor field) =>
        field.IsPacked && field.FieldType is not (FieldType.String or FieldType.Bytes or FieldType.Message or FieldType.Group);

    private static WireFormat.WireType WireTypeOf(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64 => WireFormat.WireType.Fixed64,
        FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32 => WireFormat.WireType.Fixed32,
        FieldType.String or FieldType.Bytes or FieldType.Message => WireFormat.WireType.LengthDelimited,
        _ => WireFormat.WireType.Varint,
    };

    private static void Expect(JsonElement value, JsonValueKind kind, string path, string what)
    {
        if (value.ValueKind != kind)
        {
            throw WrongType(value, path, what);
        }
    }

    private static DynamicCallException WrongType(JsonElement value, string path, string what) =>
        new($"{path}: expected {what}, not {Describe(value)}");

    private static string Describe(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 40 ? text : $"{text[..37]}...";
    }

    private static string ReadString(JsonElement value, string path, string what) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw WrongType(value, path, what);

    private static bool ReadBool(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw WrongType(value, path, "true or false"),
    };

    private static ByteString ReadBytes(JsonElement value, string path)
    {
        var text = ReadString(value, path, "a base64 string");
        // Standard or URL-safe base64, padded or not, as the mapping allows.
        var standard = text.Replace('-', '+').Replace('_', '/');
        standard = standard.PadRight(standard.Length + ((4 - (standard.Length % 4)) % 4), '=');
        try
        {
            return UnsafeByteOperations.UnsafeWrap(Convert.FromBase64String(standard));
        }
        catch (FormatException)
        {
            throw WrongType(value, path, "a base64 string");
        }
    }

    private static int ReadEnum(EnumDescriptor type, JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            var name = value.GetString()!;
            return type.FindValueByName(name)?.Number
                ?? throw new DynamicCallException($"{path}: the enum {type.FullName} has no value '{name}' (its values: {string.Join(", ", type.Values.Select(v => v.Name))})");
        }

        return ReadInteger<int>(value, path);
    }

    private static double ReadFloatingPoint(JsonElement value, string path, bool isFloat)
    {
        var what = isFloat ? "a number (a float)" : "a number (a double)";
        double number;
        if (value.ValueKind == JsonValueKind.Number)
        {
            number = value.TryGetDouble(out var parsed) ? parsed : throw new DynamicCallException($"{path}: {Describe(value)} is beyond a double's range");
        }
        else if (value.ValueKind == JsonValueKind.String)
        {
            number = value.GetString() switch
            {
                "NaN" => double.NaN,
                "Infinity" => double.PositiveInfinity,
                "-Infinity" => double.NegativeInfinity,
                var text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed) => parsed,
                _ => throw WrongType(value, path, what),
            };
        }
        else
        {
            throw WrongType(value, path, what);
        }

        if (isFloat && double.IsFinite(number) && Math.Abs(number) > float.MaxValue)
        {
            throw new DynamicCallException($"{path}: {Describe(value)} is beyond a float's range");
        }

        return number;
    }

    /// <summary>A whole number, from a JSON number or string (the mapping allows both), within the type's range.</summary>
    private static T ReadInteger<T>(JsonElement value, string path)
        where T : struct, System.Numerics.IBinaryInteger<T>, System.Numerics.IMinMaxValue<T>
    {
        var what = $"a whole number from {T.MinValue} to {T.MaxValue}";
        var text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString()!,
            _ => throw WrongType(value, path, what),
        };
        if (T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return whole;
        }

        // 1e3 or 5.0 are whole numbers too.
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && number == decimal.Truncate(number) && number >= decimal.CreateChecked(T.MinValue) && number <= decimal.CreateChecked(T.MaxValue))
        {
            return T.CreateChecked(number);
        }

        throw WrongType(value, path, what);
    }
}

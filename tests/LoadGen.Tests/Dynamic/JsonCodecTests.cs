using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using GrpcLoadLab.LoadGen.Dynamic;
using GrpcLoadLab.LoadGen.Tests.Dynamic.Codec;

namespace GrpcLoadLab.LoadGen.Tests.Dynamic;

/// <summary>
/// The JSON codec of calls by schema against Google.Protobuf itself, field kind by field kind: JSON encoded by
/// descriptor must give the bytes of JsonParser + ToByteArray on the compiled type, and those bytes decoded by
/// descriptor must give JsonFormatter's JSON (compared as JSON values, not as text).
/// </summary>
public class JsonCodecTests
{
    private static readonly TypeRegistry Registry = TypeRegistry.FromMessages(Inner.Descriptor, Timestamp.Descriptor);
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithTypeRegistry(Registry));
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(Registry));
    private static readonly SchemaTypes Types = new([EverythingReflection.Descriptor]);

    public static TheoryData<string> EveryFieldKind => new()
    {
        // Scalars, set and at their defaults (left out), at their limits, and in their other JSON spellings.
        """{"fDouble": 1.5, "fFloat": -2.25, "fInt64": "-9223372036854775808", "fUint64": "18446744073709551615"}""",
        """{"fInt32": -2147483648, "fFixed64": "1", "fFixed32": 4294967295, "fBool": true, "fString": "héllo \u2603"}""",
        """{"fUint32": 4294967295, "fSfixed32": -5, "fSfixed64": "-6", "fSint32": -7, "fSint64": "-8"}""",
        """{"fDouble": 0, "fFloat": 0, "fInt64": "0", "fInt32": 0, "fBool": false, "fString": "", "fBytes": ""}""",
        """{"f_int32": 7, "f_int64": 8, "f_uint64": "9", "f_double": "NaN", "f_float": "Infinity"}""",
        """{"fInt32": 1e3, "fUint32": "12", "fSint64": 5.0, "fDouble": "-Infinity", "fFloat": 1e38}""",
        """{"fBytes": "AAEC/w=="}""",
        """{"colour": "GREEN"}""",
        """{"colour": 1}""",
        """{"colour": 7}""",
        // Messages, nested and empty.
        """{"inner": {"id": 3, "label": "x", "children": [{"id": 4}, {}]}}""",
        """{"inner": {}}""",
        // Repeated: packed numbers, enums and bools; unpacked; strings, bytes and messages one by one.
        """{"rInt32": [1, -1, 0, 2147483647], "rDouble": [0.5, -0.0, 1e300], "rSint64": ["-1", "2"], "rBool": [true, false]}""",
        """{"rString": ["a", "", "c"], "rBytes": ["AQ==", ""], "rInner": [{"id": 1}, {}], "rColour": ["RED", 0, "GREEN"]}""",
        """{"rFixed32": [1, 2, 3], "rUnpacked": [5, 0, 6], "rInt32": []}""",
        // Maps, with keys of every kind and values of messages and enums.
        """{"mStringInt": {"a": 1, "b": 0, "": 2}, "mIntString": {"-5": "minus five", "0": ""}}""",
        """{"mBoolInner": {"true": {"id": 1}, "false": {}}, "mUintColour": {"7": "RED", "8": "COLOUR_UNSPECIFIED"}}""",
        // Oneofs: each member, at its default too (set, so written).
        """{"oText": ""}""",
        """{"oInner": {"label": "chosen"}}""",
        """{"oNumber": 0}""",
        // proto3 optional: present at the default.
        """{"optInt32": 0, "optString": ""}""",
        """{"optInt32": 12}""",
        // Well-known types.
        """{"at": "2026-12-02T05:30:36.123456789Z", "took": "-1.5s"}""",
        """{"at": "1970-01-01T00:00:00Z", "took": "0s", "rAt": ["2000-02-29T12:00:00+01:00"]}""",
        """{"wInt32": 0, "wInt64": "-3", "wString": "", "wBool": false, "wDouble": 2.5, "wBytes": "AQI=", "wUint64": "4", "wFloat": 1.25, "wUint32": 9}""",
        """{"sStruct": {"a": 1, "b": [true, null, "x", {"c": {}}], "d": null}}""",
        """{"sValue": null}""",
        """{"sValue": [1, "two", {"three": 3}]}""",
        """{"sList": [1, null, [], {}]}""",
        """{"mValues": {"n": 1, "s": "x", "z": null}}""",
        """{"anyInner": {"@type": "type.googleapis.com/lab.codec.Inner", "id": 5, "label": "packed"}}""",
        """{"anyInner": {"@type": "type.googleapis.com/lab.codec.Inner"}}""",
        """{"anyTimestamp": {"@type": "type.googleapis.com/google.protobuf.Timestamp", "value": "2026-01-01T00:00:00Z"}}""",
        """{"mask": "fInt32,inner.label", "nothing": {}}""",
        // Nulls are defaults: nothing is written.
        """{"fInt32": null, "inner": null, "rInt32": null, "mStringInt": null, "at": null, "oText": null}""",
    };

    [Theory]
    [MemberData(nameof(EveryFieldKind))]
    public void Json_encodes_to_the_bytes_of_JsonParser_and_ToByteArray(string json)
    {
        var expected = Parser.Parse<Everything>(json).ToByteArray();

        var actual = Encode(json);

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(actual));
    }

    [Theory]
    [MemberData(nameof(EveryFieldKind))]
    public void Wire_bytes_decode_to_the_json_of_JsonFormatter(string json)
    {
        var message = Parser.Parse<Everything>(json);
        var expected = JsonNode.Parse(Formatter.Format(message));

        var actual = JsonNode.Parse(new WireToJson(Types).Decode(Everything.Descriptor, message.ToByteString()));

        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected!.ToJsonString()}\n  actual {actual!.ToJsonString()}");
    }

    [Fact]
    public void A_message_with_every_field_set_goes_round_the_codec_unchanged()
    {
        // Every row merged into one message (later rows overwrite earlier singular fields and add to repeated ones).
        var message = new Everything();
        foreach (var row in EveryFieldKind)
        {
            message.MergeFrom(Parser.Parse<Everything>(row));
        }

        var json = Formatter.Format(message);

        Assert.Equal(Convert.ToHexString(message.ToByteArray()), Convert.ToHexString(Encode(json)));
        var decoded = new WireToJson(Types).Decode(Everything.Descriptor, message.ToByteString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(decoded)), $"expected {json}\n  actual {decoded}");
    }

    [Theory]
    [InlineData("""{"nope": 1}""", "request: the message lab.codec.Everything has no field 'nope' (its fields: fDouble,")]
    [InlineData("""{"fInt32": "x"}""", "request.fInt32: expected a whole number from -2147483648 to 2147483647, not \"x\"")]
    [InlineData("""{"fInt32": 2147483648}""", "request.fInt32: expected a whole number from -2147483648 to 2147483647, not 2147483648")]
    [InlineData("""{"fUint64": -1}""", "request.fUint64: expected a whole number from 0 to 18446744073709551615, not -1")]
    [InlineData("""{"fInt32": 1.5}""", "request.fInt32: expected a whole number")]
    [InlineData("""{"fBool": "true"}""", "request.fBool: expected true or false, not \"true\"")]
    [InlineData("""{"fString": 5}""", "request.fString: expected a string, not 5")]
    [InlineData("""{"fBytes": "not base64!"}""", "request.fBytes: expected a base64 string")]
    [InlineData("""{"fFloat": 1e39}""", "request.fFloat: 1e39 is beyond a float's range")]
    [InlineData("""{"colour": "BLUE"}""", "request.colour: the enum lab.codec.Colour has no value 'BLUE' (its values: COLOUR_UNSPECIFIED, RED, GREEN)")]
    [InlineData("""{"inner": {"id": 1, "name": "x"}}""", "request.inner: the message lab.codec.Inner has no field 'name'")]
    [InlineData("""{"inner": [1]}""", "request.inner: expected an object (a lab.codec.Inner), not [1]")]
    [InlineData("""{"rInt32": 1}""", "request.rInt32: expected an array, not 1")]
    [InlineData("""{"rInner": [{}, {"id": "one"}]}""", "request.rInner[1].id: expected a whole number")]
    [InlineData("""{"mIntString": {"x": "y"}}""", "request.mIntString[\"x\"]: expected a whole number")]
    [InlineData("""{"mBoolInner": {"yes": {}}}""", "request.mBoolInner[\"yes\"]: a bool map key is \"true\" or \"false\", not \"yes\"")]
    [InlineData("""{"oText": "a", "oNumber": 1}""", "request: 'oText' and 'oNumber' are both of the oneof 'choice': give one")]
    [InlineData("""{"fInt32": 1, "f_int32": 2}""", "request: the field 'fInt32' is given twice")]
    [InlineData("""{"at": "yesterday"}""", "request.at: not a google.protobuf.Timestamp in its JSON form")]
    [InlineData("""{"anyInner": {"id": 1}}""", "request.anyInner: a google.protobuf.Any needs \"@type\"")]
    [InlineData("""{"anyInner": {"@type": "type.googleapis.com/x.Unknown"}}""", "request.anyInner: the Any's type 'type.googleapis.com/x.Unknown' is not in the schema")]
    [InlineData("""[]""", "request: expected an object (a lab.codec.Everything), not []")]
    public void A_request_that_does_not_fit_its_message_is_refused_naming_the_field(string json, string expected)
    {
        var error = Assert.Throws<DynamicCallException>(() => Encode(json));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    private static byte[] Encode(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new JsonToWire(Types).Encode(Everything.Descriptor, document.RootElement, "request");
    }
}

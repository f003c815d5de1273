using System.Text.Json;
using Google.Protobuf;
using GrpcLoadLab.LoadGen.Dynamic;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Tests.Dynamic.Codec;

namespace GrpcLoadLab.LoadGen.Tests.Dynamic;

/// <summary>
/// The checks on replies (<c>call.expect</c>): a path into the reply's JSON equals a value, read as the proto3 JSON
/// mapping writes the reply, defaults included; a path that names nothing of the reply type is refused before the run.
/// </summary>
public sealed class ReplyMatcherTests
{
    private static readonly SchemaTypes Types = new([EverythingReflection.Descriptor]);

    private static readonly Everything Reply = new()
    {
        FString = "feature 0,0",
        FInt64 = 9_007_199_254_740_993,
        FDouble = 1.5,
        Colour = Colour.Green,
        Inner = new Inner { Id = 7, Children = { new Inner { Label = "child" } } },
        RString = { "a", "b" },
        MStringInt = { ["north"] = 3 },
    };

    [Theory]
    [InlineData("$.fString", "\"feature 0,0\"")]
    [InlineData("$.f_string", "\"feature 0,0\"")]
    // 64-bit integers are strings in the mapping: a number equals the string holding it, to the last digit.
    [InlineData("$.fInt64", "9007199254740993")]
    [InlineData("$.fInt64", "\"9007199254740993\"")]
    [InlineData("$.fDouble", "1.50")]
    [InlineData("$.colour", "\"GREEN\"")]
    [InlineData("$.inner.id", "7")]
    [InlineData("$.inner.children[0].label", "\"child\"")]
    [InlineData("$.rString[1]", "\"b\"")]
    [InlineData("$.rString", "[\"a\", \"b\"]")]
    [InlineData("$.mStringInt.north", "3")]
    [InlineData("$.mStringInt[\"north\"]", "3")]
    public void A_check_that_holds_passes(string path, string value)
    {
        Assert.Null(Matcher((path, value)).Mismatch(Reply.ToByteArray()));
    }

    [Fact]
    public void A_reply_as_deep_as_protobuf_allows_is_checked()
    {
        // 90 nested messages, each an object in a list: 180 JSON levels, past System.Text.Json's default of 64.
        var json = string.Concat(Enumerable.Repeat("""{"children": [""", 90)) + """{"label": "deepest"}""" + string.Concat(Enumerable.Repeat("]}", 90));
        var reply = JsonParser.Default.Parse<Everything>($$"""{"inner": {{json}}}""").ToByteArray();
        var path = "$.inner" + string.Concat(Enumerable.Repeat(".children[0]", 90)) + ".label";

        Assert.Null(Matcher((path, "\"deepest\"")).Mismatch(reply));
        Assert.Equal($"{path}: expected \"other\", got \"deepest\"", Matcher((path, "\"other\"")).Mismatch(reply));
    }

    [Theory]
    [InlineData("$.fString", "\"feature 0,1\"", "$.fString: expected \"feature 0,1\", got \"feature 0,0\"")]
    [InlineData("$.fInt64", "9007199254740992", "$.fInt64: expected 9007199254740992, got \"9007199254740993\"")]
    [InlineData("$.inner.children[1].label", "\"child\"", "$.inner.children[1].label: expected \"child\", got nothing")]
    [InlineData("$.mStringInt.south", "3", "$.mStringInt.south: expected 3, got nothing")]
    [InlineData("$.colour", "2", "$.colour: expected 2, got \"GREEN\"")]
    public void A_check_that_does_not_hold_says_what_was_expected_and_what_came(string path, string value, string expected)
    {
        Assert.Equal(expected, Matcher((path, value)).Mismatch(Reply.ToByteArray()));
    }

    [Theory]
    [InlineData("$.fInt32", "0")]
    [InlineData("$.fInt64", "0")]
    [InlineData("$.fString", "\"\"")]
    [InlineData("$.fBool", "false")]
    [InlineData("$.colour", "\"COLOUR_UNSPECIFIED\"")]
    [InlineData("$.inner", "null")]
    [InlineData("$.inner.id", "0")]
    [InlineData("$.rInt32", "[]")]
    [InlineData("$.mStringInt", "{}")]
    [InlineData("$.at", "null")]
    public void A_field_the_reply_leaves_out_holds_its_default(string path, string value)
    {
        Assert.Null(Matcher((path, value)).Mismatch(new Everything().ToByteArray()));
    }

    [Fact]
    public void Every_check_must_hold_and_the_first_that_does_not_is_named()
    {
        var matcher = Matcher(("$.inner.id", "7"), ("$.fString", "\"x\""), ("$.fDouble", "2"));

        Assert.Equal("$.fString: expected \"x\", got \"feature 0,0\"", matcher.Mismatch(Reply.ToByteArray()));
    }

    [Fact]
    public void Bytes_that_are_no_reply_of_the_type_fail_the_check()
    {
        var mismatch = Matcher(("$.fInt32", "0")).Mismatch([0xFF, 0xFF, 0xFF]);

        Assert.StartsWith("the reply is no lab.codec.Everything (", mismatch, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fString", "call.expect[0].path: 'fString' is not a path: $, then .field, [index] or [\"map key\"]")]
    [InlineData("$.fString.", "call.expect[0].path: '$.fString.' is not a path")]
    [InlineData("$.nope", "call.expect[0].path: $: the message lab.codec.Everything has no field 'nope' (its fields: fDouble, fFloat,")]
    [InlineData("$.inner.nope", "call.expect[0].path: $.inner: the message lab.codec.Inner has no field 'nope' (its fields: id, label, children)")]
    [InlineData("$.fInt32.x", "call.expect[0].path: $.fInt32 is not a message or a map: it has no .x")]
    [InlineData("$.inner[0]", "call.expect[0].path: $.inner is not a list: it has no [0]")]
    [InlineData("$.at.seconds", "call.expect[0].path: $.at is not a message or a map: it has no .seconds")]
    public void A_path_that_names_nothing_of_the_reply_type_is_refused_before_the_run(string path, string expected)
    {
        var error = Assert.Throws<DynamicCallException>(() => Matcher((path, "0")));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_checks_there_is_no_matcher_and_replies_are_not_decoded()
    {
        Assert.Null(ReplyMatcher.Create([], Everything.Descriptor, Types));
    }

    private static ReplyMatcher Matcher(params (string Path, string Value)[] checks) =>
        ReplyMatcher.Create([.. checks.Select(check => new ReplyCheck { Path = check.Path, Value = Json(check.Value) })], Everything.Descriptor, Types)!;

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}

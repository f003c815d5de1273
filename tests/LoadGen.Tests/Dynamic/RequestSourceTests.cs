using System.Text.Json;
using GrpcLoadLab.LoadGen.Dynamic;
using GrpcLoadLab.LoadGen.Tests.Dynamic.Codec;

namespace GrpcLoadLab.LoadGen.Tests.Dynamic;

/// <summary>
/// The requests of calls by schema: encoded once when nothing in them changes per call, rendered per call where a
/// template part does; a requests file line by line, a bad line refused with its number.
/// </summary>
public sealed class RequestSourceTests : IDisposable
{
    private static readonly JsonToWire Encoder = new(new SchemaTypes([EverythingReflection.Descriptor]));

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("request-source-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void A_request_without_template_parts_is_encoded_once_for_every_call()
    {
        var source = FromRequest("""{"fInt32": 7, "fString": "{ not a part }"}""");

        var first = Assert.Single(source.Next(1));
        Assert.Same(first, Assert.Single(source.Next(2)));
        Assert.Equal(new Everything { FInt32 = 7, FString = "{ not a part }" }, Everything.Parser.ParseFrom(first));
    }

    [Fact]
    public void Template_parts_are_rendered_for_each_call()
    {
        var source = FromRequest("""{"fInt64": "{{call}}", "fString": "{{uuid}}", "fInt32": "{{randomInt 5 6}}", "rString": ["{{randomString 12}}"], "at": "{{time}}", "fUint64": "{{unixMillis}}"}""");

        var third = Everything.Parser.ParseFrom(Assert.Single(source.Next(3)));
        var fourth = Everything.Parser.ParseFrom(Assert.Single(source.Next(4)));

        Assert.Equal((3, 4), (third.FInt64, fourth.FInt64));
        Assert.True(Guid.TryParse(third.FString, out _) && third.FString != fourth.FString);
        Assert.InRange(third.FInt32, 5, 6);
        Assert.Matches("^[a-zA-Z0-9]{12}$", third.RString[0]);
        Assert.InRange(third.At.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.InRange((long)third.FUint64, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());
    }

    [Fact]
    public void A_list_of_messages_gives_each_in_order()
    {
        var source = FromRequest("""[{"fInt32": 1}, {"fInt32": 2}, {"fInt32": "{{call}}"}]""", list: true);

        Assert.Equal([1, 2, 9], source.Next(9).Select(bytes => Everything.Parser.ParseFrom(bytes).FInt32));
    }

    [Theory]
    [InlineData("""{"fInt32": "{{calls}}"}""", "request: '{{calls}}' is not a template part (the parts: {{call}}, {{randomInt MIN MAX}}")]
    [InlineData("""{"fInt32": "{{randomInt 9 1}}"}""", "request: '{{randomInt 9 1}}' is not a template part")]
    [InlineData("""{"fInt32": "{{uuid}}"}""", "request.fInt32: expected a whole number from -2147483648 to 2147483647, not \"")]
    public void A_template_that_cannot_render_into_its_field_is_refused_before_the_run(string json, string expected)
    {
        var error = Assert.Throws<DynamicCallException>(() => FromRequest(json));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_requests_file_is_sent_line_by_line_in_order()
    {
        var file = Write("requests.jsonl", "{\"fInt32\": 1}\n\n{\"fInt32\": 2}\n{\"fInt32\": 3}\n");

        var source = RequestSource.FromFile(file, random: false, Everything.Descriptor, Encoder);

        Assert.Equal([1, 2, 3, 1], Enumerable.Range(1, 4).Select(call => Everything.Parser.ParseFrom(source.Next(call)[0]).FInt32));
    }

    [Theory]
    [InlineData("{\"fInt32\": 1}\n{\"fInt32\": \"x\"}\n", ":2.fInt32: expected a whole number")]
    [InlineData("{\"fInt32\": 1}\n\n{\"nope\": 1}\n", ":3: the message lab.codec.Everything has no field 'nope'")]
    [InlineData("{\"fInt32\": 1\n", ":1: not JSON")]
    public void A_bad_line_of_a_requests_file_is_refused_with_its_number(string text, string expected)
    {
        var file = Write("bad.jsonl", text);

        var error = Assert.Throws<DynamicCallException>(() => RequestSource.FromFile(file, random: false, Everything.Descriptor, Encoder));

        Assert.StartsWith(file + expected, error.Message, StringComparison.Ordinal);
    }

    private static RequestSource FromRequest(string json, bool list = false)
    {
        using var document = JsonDocument.Parse(json);
        return RequestSource.FromRequest(document.RootElement, list, Everything.Descriptor, Encoder, "request");
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }
}

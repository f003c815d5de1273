using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using GrpcLoadLab.LoadGen.Dynamic;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Tests.Dynamic.Codec;

namespace GrpcLoadLab.LoadGen.Tests.Dynamic;

/// <summary>
/// The requests of calls by schema: encoded once when nothing in them changes per call, once per distinct rendered
/// value where a template part does; a requests file line by line, a bad line refused with its number.
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

        var first = Assert.Single(source.Next(Call(1)));
        Assert.Same(first, Assert.Single(source.Next(Call(2))));
        Assert.Equal(new Everything { FInt32 = 7, FString = "{ not a part }" }, Everything.Parser.ParseFrom(first));
    }

    [Fact]
    public void Template_parts_are_rendered_for_each_call()
    {
        var source = FromRequest("""{"fInt64": "{{call}}", "fString": "{{uuid}}", "fInt32": "{{randomInt 5 6}}", "rString": ["{{randomString 12}}"], "at": "{{time}}", "fUint64": "{{unixMillis}}"}""");

        var third = Everything.Parser.ParseFrom(Assert.Single(source.Next(Call(3))));
        var fourth = Everything.Parser.ParseFrom(Assert.Single(source.Next(Call(4))));

        Assert.Equal((3, 4), (third.FInt64, fourth.FInt64));
        Assert.True(Guid.TryParse(third.FString, out _) && third.FString != fourth.FString);
        Assert.InRange(third.FInt32, 5, 6);
        Assert.Matches("^[a-zA-Z0-9]{12}$", third.RString[0]);
        Assert.InRange(third.At.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.InRange((long)third.FUint64, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());
    }

    [Fact]
    public void The_worker_and_the_agent_are_rendered_from_the_call()
    {
        var source = FromRequest("""{"fInt32": "{{worker}}", "fString": "agent {{agent}} call {{call}}"}""");

        var message = Everything.Parser.ParseFrom(Assert.Single(source.Next(new CallContext(7, Worker: 3, Agent: 2))));

        Assert.Equal((3, "agent 2 call 7"), (message.FInt32, message.FString));
    }

    [Fact]
    public void A_request_is_encoded_once_per_distinct_value_of_its_parts()
    {
        var source = FromRequest("""{"fInt32": "{{worker}}", "inner": {"label": "{{worker}}"}}""");

        // 100 calls by 4 workers: 4 encodings, each call of a worker sending that worker's bytes.
        var sent = Enumerable.Range(1, 100).Select(call => Assert.Single(source.Next(new CallContext(call, call % 4, 0)))).ToList();

        Assert.Equal(4, sent.Distinct(ReferenceEqualityComparer.Instance).Count());
        Assert.Equal([0, 1, 2, 3], sent.Distinct(ReferenceEqualityComparer.Instance).Select(bytes => Everything.Parser.ParseFrom((byte[])bytes!).FInt32).Order());
        Assert.All(sent, bytes => Assert.Equal(Everything.Parser.ParseFrom(bytes).FInt32.ToString(CultureInfo.InvariantCulture), Everything.Parser.ParseFrom(bytes).Inner.Label));
    }

    [Fact]
    public void Values_that_never_repeat_are_encoded_for_each_call_and_not_kept_past_the_bound()
    {
        var source = FromRequest("""{"fInt64": "{{call}}"}""");

        // The first 10,000 distinct values are kept: a value rendered again sends the kept bytes.
        Assert.All(Enumerable.Range(1, 10_000), call => Assert.Equal(call, Everything.Parser.ParseFrom(source.Next(Call(call))[0]).FInt64));
        Assert.Same(source.Next(Call(5))[0], source.Next(Call(5))[0]);

        // Past the bound, each call's value is encoded for it alone, and is still its own.
        var late = source.Next(Call(15_000))[0];
        Assert.NotSame(late, source.Next(Call(15_000))[0]);
        Assert.Equal(15_000, Everything.Parser.ParseFrom(late).FInt64);
    }

    [Fact]
    public void A_list_of_messages_gives_each_in_order()
    {
        var source = FromRequest("""[{"fInt32": 1}, {"fInt32": 2}, {"fInt32": "{{call}}"}]""", list: true);

        Assert.Equal([1, 2, 9], source.Next(Call(9)).Select(bytes => Everything.Parser.ParseFrom(bytes).FInt32));
    }

    [Theory]
    [InlineData("""{"fInt32": "{{calls}}"}""", "request: '{{calls}}' is not a template part (the parts: {{call}}, {{worker}}, {{agent}}, {{randomInt MIN MAX}}")]
    [InlineData("""{"fInt32": "{{randomInt 9 1}}"}""", "request: '{{randomInt 9 1}}' is not a template part")]
    [InlineData("""{"fInt32": "{{uuid}}"}""", "request.fInt32: expected a whole number from -2147483648 to 2147483647, not \"")]
    // Parts whose first draw almost always fits, and a later one may not: refused by their ranges, not by chance.
    [InlineData("""{"fInt32": "{{randomInt 1 2147483648}}"}""", "request.fInt32: expected a whole number from -2147483648 to 2147483647, not \"2147483648\" (its random parts can draw that")]
    [InlineData("""{"rInt32": [1, "{{randomInt -5 2147483648}}"]}""", "request.rInt32[1]: expected a whole number from -2147483648 to 2147483647, not \"2147483648\" (its random parts")]
    [InlineData("""{"fUint32": "{{randomInt -1 4000000000}}"}""", "request.fUint32: expected a whole number from 0 to 4294967295, not \"-1\" (its random parts")]
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

        Assert.Equal([1, 2, 3, 1], Enumerable.Range(1, 4).Select(call => Everything.Parser.ParseFrom(source.Next(Call(call))[0]).FInt32));
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

    [Fact]
    public void Only_requests_that_change_per_call_read_the_call()
    {
        var lines = Write("two.jsonl", "{\"fInt32\": 1}\n{\"fInt32\": 2}\n");
        var one = Write("one.jsonl", "{\"fInt32\": 1}\n");

        Assert.False(FromRequest("""{"fInt32": 7}""").PerCall);
        Assert.False(FromRequest("""[{"fInt32": 7}, {"fInt32": 8}]""", list: true).PerCall);
        Assert.True(FromRequest("""{"fInt32": "{{worker}}"}""").PerCall);
        Assert.True(RequestSource.FromFile(lines, random: false, Everything.Descriptor, Encoder).PerCall);
        Assert.False(RequestSource.FromFile(lines, random: true, Everything.Descriptor, Encoder).PerCall);
        Assert.False(RequestSource.FromFile(one, random: false, Everything.Descriptor, Encoder).PerCall);
    }

    [Fact]
    public void A_request_as_deep_as_protobuf_allows_is_read_from_a_requests_file_and_from_a_scenario_file()
    {
        // 90 nested messages, each an object in a list: 180 JSON levels, past System.Text.Json's default of 64,
        // within protobuf's own limit of 100 messages.
        var json = string.Concat(Enumerable.Repeat("""{"children": [""", 90)) + "{}" + string.Concat(Enumerable.Repeat("]}", 90));
        json = $$"""{"inner": {{json}}}""";
        var expected = JsonParser.Default.Parse<Everything>(json).ToByteArray();
        var file = Write("deep.jsonl", json + "\n");
        var scenario = ScenarioLoader.Parse(
            $$"""{"name": "deep", "call": {"method": "lab.codec.Deep/Call", "request": {{json}}}, "phases": [{"type": "constant-rate", "rate": 1, "duration": "1s"}]}""",
            "deep.json");

        Assert.Equal(expected, RequestSource.FromFile(file, random: false, Everything.Descriptor, Encoder).Next(Call(1))[0]);
        Assert.Equal(expected, RequestSource.FromRequest(scenario.Call.Request!.Value, list: false, Everything.Descriptor, Encoder, "call.request").Next(Call(1))[0]);
    }

    /// <summary>Call number <paramref name="number"/>, of worker 0 of agent 0.</summary>
    private static CallContext Call(long number) => new(number, 0, 0);

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

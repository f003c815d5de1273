using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Tests.Results;

/// <summary>
/// docs/server-timelines.schema.json (what a reader of result.json goes by) and the records the generator writes agree:
/// the same keys in each object, all of them required, walked through System.Text.Json's own metadata, so that a field
/// added to a record and not to the schema fails here.
/// </summary>
public class ServerTimelinesSchemaTests
{
    private static readonly JsonObject Schema =
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryFolder.Root, "docs", "server-timelines.schema.json")))!.AsObject();

    [Theory]
    [InlineData(typeof(ServerTimeline), "serverTimeline")]
    [InlineData(typeof(ServerTimelineGap), "gap")]
    [InlineData(typeof(ServerTimelineSecond), "second")]
    [InlineData(typeof(ServerCallCounts), "callCounts")]
    [InlineData(typeof(ServerDuration), "duration")]
    public void Each_record_and_its_definition_have_the_same_keys_all_required(Type record, string definition)
    {
        // The figures derived from the fields ([JsonIgnore]) are in the metadata but never written.
        var model = ResultJson.Options.GetTypeInfo(record).Properties
            .Where(p => p.AttributeProvider?.IsDefined(typeof(JsonIgnoreAttribute), inherit: false) != true)
            .Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        var schema = Schema["$defs"]![definition]!.AsObject();

        Assert.Equal(model, schema["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(model, schema["required"]!.AsArray().Select(k => (string)k!).Order(StringComparer.Ordinal));
        Assert.False((bool)schema["additionalProperties"]!);
    }

    [Fact]
    public void The_result_names_the_series_as_the_schema_does()
    {
        var key = Assert.Single(Schema["properties"]!.AsObject()).Key;

        Assert.Contains(ResultJson.Options.GetTypeInfo(typeof(RunResult)).Properties, p => p.Name == key && p.PropertyType == typeof(IReadOnlyList<ServerTimeline>));
    }
}

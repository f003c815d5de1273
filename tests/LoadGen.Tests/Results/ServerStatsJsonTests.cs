using System.Text.Json;
using System.Text.Json.Nodes;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Tests.Reports;

namespace GrpcLoadLab.LoadGen.Tests.Results;

/// <summary>The servers' GetStats replies, typed when read, are written back exactly as the result keeps them.</summary>
public class ServerStatsJsonTests
{
    [Theory]
    [InlineData("unary-closed")]
    [InlineData("unary-open")]
    [InlineData("bidi")]
    [InlineData("hostile")]
    public void The_servers_counters_are_written_back_byte_for_byte(string run)
    {
        var kept = JsonNode.Parse(File.ReadAllText(Path.Combine(TestRuns.Folder(run), ResultJson.FileName)))!["servers"]!;

        var servers = TestRuns.Read(run).Servers;

        Assert.NotEmpty(servers);
        Assert.Equal(kept.ToJsonString(ResultJson.Options), JsonSerializer.Serialize(servers, ResultJson.Options));
    }

    [Fact]
    public void The_counters_are_read_by_their_contract_names()
    {
        var server = TestRuns.Read("unary-closed").Servers[0];

        Assert.NotNull(server.End);
        Assert.True(server.End.Rejected > 0, "the closed run's servers refused calls beyond their capacity");
        Assert.True(server.End.Unary.Completed > (server.Start?.Unary?.Completed ?? 0));
        Assert.Equal(2, server.End.Capacity);
    }

    [Fact]
    public void A_reply_that_is_not_a_getstats_reply_makes_the_file_damaged()
    {
        var folder = Directory.CreateTempSubdirectory("server-stats-").FullName;
        try
        {
            var path = Path.Combine(folder, ResultJson.FileName);
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(TestRuns.Folder("unary-closed"), ResultJson.FileName)))!;
            json["servers"]![0]!["end"]!["rejected"] = "many";
            File.WriteAllText(path, json.ToJsonString());

            var error = Assert.Throws<JsonException>(() => ResultJson.Read(path));

            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Tests.Reports;

namespace GrpcLoadLab.LoadGen.Tests.Results;

/// <summary>
/// result.json's <c>serverTimelines</c>: a real run's series reads back as written and its histograms decode as the
/// client's do; results written before the series existed read without it; a damaged series is refused in one line.
/// </summary>
public class ServerTimelinesReadTests
{
    [Fact]
    public void A_run_that_followed_its_servers_reads_back_and_its_histograms_decode_like_the_client_s()
    {
        var result = TestRuns.Read("servers");

        var followed = result.ServerTimelines!.Where(t => t.NotFollowed is null).ToList();
        Assert.True(followed.Count >= 2);
        var durations = followed.SelectMany(t => t.Seconds).Select(s => s.CallDuration).OfType<ServerDuration>().ToList();
        Assert.NotEmpty(durations);
        Assert.All(durations, d => Assert.Equal(d.Count, HistogramCodec.Decode(d.Encoded).TotalCount));
        var written = JsonNode.Parse(File.ReadAllText(Path.Combine(TestRuns.Folder("servers"), ResultJson.FileName)))!["serverTimelines"]!;
        Assert.Equal(written.ToJsonString(), JsonSerializer.SerializeToNode(result.ServerTimelines, ResultJson.Options)!.ToJsonString());
    }

    [Theory]
    [InlineData("unary-open")]
    [InlineData("unary-closed")]
    [InlineData("bidi")]
    public void A_result_written_before_the_servers_were_followed_reads_and_renders_without_them(string run)
    {
        var result = TestRuns.Read(run);

        Assert.Null(result.ServerTimelines);
        Assert.Empty(ServerLoadFigures.Of(result));
        Assert.Contains("id=\"server-timelines-absent\"", RunPage.Render(result), StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_with_and_one_without_the_series_compare_on_one_page()
    {
        var page = ComparePage.Render([TestRuns.Read("servers"), TestRuns.Read("unary-closed")]);

        Assert.Contains("id=\"chart-throughput\"", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not base64!", "callDuration.encoded is not base64")]
    [InlineData("SElTVA==", "callDuration.encoded is too short for an encoded HdrHistogram")]
    [InlineData("AAAAAAAAAAAAAA==", "callDuration.encoded is not an encoded HdrHistogram (its cookie)")]
    public void A_damaged_server_histogram_is_refused_in_one_line(string encoded, string said)
    {
        var reports = TestRuns.CopyToTemporaryReports("servers");
        try
        {
            var file = Path.Combine(reports, "servers", ResultJson.FileName);
            var json = JsonNode.Parse(File.ReadAllText(file))!;
            var seconds = json["serverTimelines"]![0]!["seconds"]!.AsArray();
            var at = seconds.Select((s, i) => (s, i)).First(p => p.s!["callDuration"] is JsonObject).i;
            seconds[at]!["callDuration"]!["encoded"] = encoded;
            File.WriteAllText(file, json.ToJsonString());

            var e = Assert.Throws<JsonException>(() => ResultJson.Read(file));

            Assert.Contains($"serverTimelines[0].seconds[{at}].{said}", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
        }
        finally
        {
            Directory.Delete(reports, recursive: true);
        }
    }

    [Fact]
    public void A_histogram_cut_short_is_refused()
    {
        var whole = TestRuns.Read("servers").ServerTimelines!.SelectMany(t => t.Seconds).First(s => s.CallDuration is not null).CallDuration!.Encoded;
        var bytes = Convert.FromBase64String(whole);

        Assert.Null(HistogramCodec.FrameProblem(whole));
        Assert.StartsWith("cut short or padded", HistogramCodec.FrameProblem(Convert.ToBase64String(bytes[..^1])), StringComparison.Ordinal);
    }
}

using System.Text.Json.Nodes;
using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Tests.Reports;

/// <summary>
/// One damaged file never breaks the others: every kind of damage a result or sweep file can suffer is refused in one
/// line naming the file and what is wrong, and the index lists it as damaged beside the healthy runs.
/// </summary>
public class DamagedFileTests
{
    /// <summary>A damage, and a word of what the one line must say about it.</summary>
    public static TheoryData<string, string> Damages() => new()
    {
        { "corrupt-base64", "totals.latency.encoded is not base64" },
        { "not-a-histogram", "totals.latency.encoded is not an encoded HdrHistogram" },
        { "endpoint-histogram", "endpoints[0].latency.encoded is not" },
        { "truncated", "is not valid JSON" },
        { "empty", "is empty" },
        { "binary", "is not valid JSON" },
        { "array", "holds no result: its JSON is an array" },
        { "other-schema", "its schema is \"grpc-load-lab/sweep\"" },
        { "no-schema", "it has no \"schema\"" },
        { "newer-version", "was written by a newer loadgen (result version 2; this one reads up to 1)" },
        { "missing-totals", "totals" },
        { "null-totals", "totals" },
        { "null-phase", "phases[0] is null" },
        { "null-encoded", "encoded" },
        { "huge-count", "started" },
        { "huge-double", "callsPerSecond" },
        { "negative-count", "totals.calls holds a negative count" },
        { "string-for-number", "callsPerSecond" },
        { "dispatcher-histogram", "totals.dispatcher.wakeUpLateness.encoded is not" },
        { "dispatcher-no-paced-time", "pacedSeconds" },
        { "dispatcher-negative-time", "totals.dispatcher holds a negative time" },
        { "dispatcher-huge-double", "pacedSeconds" },
        { "null-failures-of-a-status", "totals.failures.UNAVAILABLE is null" },
        { "null-failure-detail", "totals.failures.UNAVAILABLE.details[0] is null" },
        { "null-failure-detail-text", "detail" },
        { "negative-failure-count", "totals.failures.UNAVAILABLE holds a negative count" },
        { "folder", "is a folder, not a file" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void A_damaged_result_is_refused_in_one_line_that_names_the_file_and_the_damage(string damage, string said)
    {
        var reports = TestRuns.CopyToTemporaryReports("unary-closed");
        try
        {
            var folder = Path.Combine(reports, "unary-closed");
            Damage(Path.Combine(folder, ResultJson.FileName), damage);

            var e = Assert.Throws<ReportException>(() => RunFolders.Read(folder));

            Assert.Contains(Path.Combine(folder, ResultJson.FileName), e.Message, StringComparison.Ordinal);
            Assert.Contains(said, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
        }
        finally
        {
            Directory.Delete(reports, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Damages))]
    public void The_index_lists_a_damaged_run_as_damaged_and_every_other_run_as_usual(string damage, string said)
    {
        var reports = TestRuns.CopyToTemporaryReports("unary-closed", "unary-open", "bidi");
        try
        {
            Damage(Path.Combine(reports, "unary-closed", ResultJson.FileName), damage);

            var html = File.ReadAllText(IndexPage.Write(reports));

            var listed = RunReportTests.Rows(RunReportTests.Table(html, "runs-table")).Skip(1).ToList();
            Assert.Equal(2, listed.Count);
            Assert.Contains(listed, row => row.Contains("data-run=\"unary-open\"", StringComparison.Ordinal));
            Assert.Contains(listed, row => row.Contains("data-run=\"bidi\"", StringComparison.Ordinal));
            var damaged = Assert.Single(RunReportTests.Rows(RunReportTests.Table(html, "damaged-table")).Skip(1));
            Assert.Contains("data-run=\"unary-closed\"", damaged, StringComparison.Ordinal);
            Assert.Contains("DAMAGED: ", damaged, StringComparison.Ordinal);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(said), damaged, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(reports, recursive: true);
        }
    }

    [Fact]
    public void A_folder_without_a_result_and_a_damaged_sweep_are_listed_as_damaged_and_harm_nothing()
    {
        var reports = TestRuns.CopyToTemporaryReports("unary-closed");
        try
        {
            Directory.CreateDirectory(Path.Combine(reports, "empty-run"));
            var sweep = Directory.CreateDirectory(Path.Combine(reports, "20250101-120000-sweep-demo")).FullName;
            File.WriteAllText(Path.Combine(sweep, SweepJson.FileName), """{"schema": "grpc-load-lab/sweep", "version": 1, "name": "demo", "cells": [""");

            var html = File.ReadAllText(IndexPage.Write(reports));

            Assert.Single(RunReportTests.Rows(RunReportTests.Table(html, "runs-table")).Skip(1));
            var damaged = RunReportTests.Table(html, "damaged-table");
            Assert.Contains("holds no result.json", damaged, StringComparison.Ordinal);
            Assert.Contains($"{Path.Combine(sweep, SweepJson.FileName)} is not valid JSON", damaged, StringComparison.Ordinal);
            Assert.DoesNotContain("id=\"studies", html, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(reports, recursive: true);
        }
    }

    [Theory]
    [InlineData("""{"schema": "grpc-load-lab/sweep", "version": 7}""", "was written by a newer loadgen (sweep version 7")]
    [InlineData("""{"schema": "grpc-load-lab/sweep", "version": 1, "name": "x"}""", "is damaged")]
    [InlineData("[1, 2]", "holds no sweep: its JSON is an array")]
    [InlineData("", "is empty")]
    public void A_damaged_sweep_is_refused_in_one_line(string content, string said)
    {
        var folder = Directory.CreateTempSubdirectory("loadgen-sweep-").FullName;
        try
        {
            var path = Path.Combine(folder, SweepJson.FileName);
            File.WriteAllText(path, content);

            var e = Assert.ThrowsAny<System.Text.Json.JsonException>(() => SweepJson.Read(path));

            Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
            Assert.Contains(said, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>An open-model dispatcher's figures (the closed-model sample has none), its histogram the run's latency unless given.</summary>
    private static JsonNode Dispatcher(JsonNode result, string? encoded = null, string pacedSeconds = "2", string realTimeSeconds = "2")
    {
        var dispatcher = JsonNode.Parse($$"""{"wakeUpLateness": {{result["totals"]!["latency"]!.ToJsonString()}}, "pacedSeconds": {{pacedSeconds}}, "realTimeSeconds": {{realTimeSeconds}}, "longestSpinMicros": 250}""")!;
        if (encoded is not null)
        {
            dispatcher["wakeUpLateness"]!["encoded"] = encoded;
        }

        return dispatcher;
    }

    /// <summary>Writes the damage named <paramref name="damage"/> over the good result in <paramref name="path"/>.</summary>
    internal static void Damage(string path, string damage)
    {
        var good = File.ReadAllText(path);
        JsonNode Json() => JsonNode.Parse(good)!;
        void Write(JsonNode node) => File.WriteAllText(path, node.ToJsonString());
        JsonNode With(Action<JsonNode> change)
        {
            var json = Json();
            change(json);
            return json;
        }

        switch (damage)
        {
            case "corrupt-base64": Write(With(j => j["totals"]!["latency"]!["encoded"] = "not*base64!")); break;
            case "not-a-histogram": Write(With(j => j["totals"]!["latency"]!["encoded"] = Convert.ToBase64String(new byte[64]))); break;
            case "endpoint-histogram": Write(With(j => j["endpoints"]![0]!["latency"]!["encoded"] = "HISTFAAAAAAAAAAA")); break;
            case "truncated": File.WriteAllText(path, good[..(good.Length / 2)]); break;
            case "empty": File.WriteAllText(path, ""); break;
            case "binary": File.WriteAllBytes(path, [.. Enumerable.Range(0, 512).Select(i => (byte)(i * 37 % 256))]); break;
            case "array": File.WriteAllText(path, "[1, 2, 3]"); break;
            case "other-schema": Write(With(j => j["schema"] = "grpc-load-lab/sweep")); break;
            case "no-schema": Write(With(j => j.AsObject().Remove("schema"))); break;
            case "newer-version": Write(With(j => j["version"] = 2)); break;
            case "missing-totals": Write(With(j => j.AsObject().Remove("totals"))); break;
            case "null-totals": Write(With(j => j["totals"] = null)); break;
            case "null-phase": Write(With(j => j["phases"]![0] = null)); break;
            case "null-encoded": Write(With(j => j["totals"]!["latency"]!["encoded"] = null)); break;
            case "huge-count": Write(With(j => j["totals"]!["calls"]!["started"] = JsonNode.Parse("99999999999999999999999"))); break;
            case "huge-double": Write(With(j => j["totals"]!["callsPerSecond"] = JsonNode.Parse("1e999"))); break;
            case "negative-count": Write(With(j => j["totals"]!["calls"]!["failed"] = -5)); break;
            case "string-for-number": Write(With(j => j["totals"]!["callsPerSecond"] = "fast")); break;
            case "dispatcher-histogram": Write(With(j => j["totals"]!["dispatcher"] = Dispatcher(j, encoded: "HISTFAAAAAAAAAAA"))); break;
            case "dispatcher-no-paced-time": Write(With(j => j["totals"]!["dispatcher"] = JsonNode.Parse("""{"wakeUpLateness": null, "realTimeSeconds": 1, "longestSpinMicros": 250}"""))); break;
            case "dispatcher-negative-time": Write(With(j => j["totals"]!["dispatcher"] = Dispatcher(j, realTimeSeconds: "-1"))); break;
            case "dispatcher-huge-double": Write(With(j => j["totals"]!["dispatcher"] = Dispatcher(j, pacedSeconds: "1e999"))); break;
            case "null-failures-of-a-status": Write(With(j => j["totals"]!["failures"] = JsonNode.Parse("""{"UNAVAILABLE": null}"""))); break;
            case "null-failure-detail": Write(With(j => j["totals"]!["failures"] = JsonNode.Parse("""{"UNAVAILABLE": {"details": [null], "unlisted": 0}}"""))); break;
            case "null-failure-detail-text": Write(With(j => j["totals"]!["failures"] = JsonNode.Parse("""{"UNAVAILABLE": {"details": [{"detail": null, "calls": 1}], "unlisted": 0}}"""))); break;
            case "negative-failure-count": Write(With(j => j["totals"]!["failures"] = JsonNode.Parse("""{"UNAVAILABLE": {"details": [{"detail": "lost", "calls": -1}], "unlisted": 0}}"""))); break;
            case "folder":
                File.Delete(path);
                Directory.CreateDirectory(path);
                break;
            default: throw new ArgumentException($"no damage named {damage}", nameof(damage));
        }
    }
}

extern alias LoadGen;

using System.Text.Json.Nodes;
using GrpcLoadLab.EndToEnd.Tests.Processes;
using LoadGen::GrpcLoadLab.LoadGen.Runner;

namespace GrpcLoadLab.EndToEnd.Tests.CommandLine;

/// <summary>
/// One damaged file never breaks the others, through the real commands: a damaged run is refused by <c>report</c> and
/// <c>compare</c> in one line naming the file (exit 2), and a damaged sibling costs another run's <c>run</c> or
/// <c>report</c> nothing: the index lists it as damaged.
/// </summary>
public sealed class DamagedRunTests : IDisposable
{
    private static readonly string TestData = Path.Combine(RepositoryPaths.Root, "tests", "LoadGen.Tests", "Reports", "TestData");
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    private readonly string _reports = Directory.CreateTempSubdirectory("lab-damaged-").FullName;

    public void Dispose() => Directory.Delete(_reports, recursive: true);

    /// <summary>A damage written over a copy of a good result, and what the one line must say.</summary>
    public static TheoryData<string, string> Damages() => new()
    {
        { "corrupt-histogram", "totals.latency.encoded is not an encoded HdrHistogram" },
        { "truncated", "is not valid JSON" },
        { "newer-version", "was written by a newer loadgen" },
        { "null-totals", "is damaged" },
        { "binary", "is not valid JSON" },
        { "folder", "is a folder, not a file" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task Report_and_compare_of_a_damaged_run_say_in_one_line_what_is_wrong_with_which_file(string damage, string said)
    {
        var good = Copy("unary-closed", "20261101-120000-good");
        var damaged = Damaged("20261101-120100-damaged", damage);

        foreach (var arguments in new[] { new[] { "report", damaged }, ["compare", good, damaged, "-o", Path.Combine(_reports, "c.html")] })
        {
            var result = await LoadGenAsync(arguments);

            Assert.True(result.ExitCode == ExitCodes.BadInput, result.ToString());
            var line = Assert.Single(result.StandardErrorLines);
            Assert.StartsWith($"loadgen: {Path.Combine(damaged, "result.json")} ", line, StringComparison.Ordinal);
            Assert.Contains(said, line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task A_damaged_sibling_costs_another_run_s_report_nothing_and_is_listed_as_damaged(string damage, string said)
    {
        var good = Copy("unary-closed", "20261101-120000-good");
        Damaged("20261101-120100-damaged", damage);

        var result = await LoadGenAsync("report", good);

        Assert.True(result.ExitCode == 0, result.ToString());
        var index = await File.ReadAllTextAsync(Path.Combine(_reports, "index.html"));
        Assert.Contains("data-run=\"20261101-120000-good\"><td><input", index, StringComparison.Ordinal);
        Assert.Matches($"<tr class=\"damaged\" data-run=\"20261101-120100-damaged\"><td>20261101-120100-damaged</td><td class=\"worse\">DAMAGED: [^<]*{System.Text.RegularExpressions.Regex.Escape(said)}", index);
    }

    [Fact]
    public async Task A_run_beside_a_damaged_run_measures_writes_and_ends_as_usual()
    {
        Damaged("20261101-120100-damaged", "corrupt-histogram");
        var scenario = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "scenarios", "unary-closed.json")))!;
        scenario["report"] = new JsonObject { ["directory"] = _reports };
        scenario["thresholds"] = new JsonArray();
        var file = Path.Combine(_reports, "scenario.json");
        await File.WriteAllTextAsync(file, scenario.ToJsonString());
        await using var server = await ServerProcess.StartAsync();

        var result = await LoadGenAsync("run", file, "--target", $"static:127.0.0.1:{server.Port}", "--duration", "1s");

        Assert.True(result.ExitCode is ExitCodes.Passed or ExitCodes.Invalid, result.ToString());
        var index = await File.ReadAllTextAsync(Path.Combine(_reports, "index.html"));
        Assert.Contains("<a href=\"", index, StringComparison.Ordinal);
        Assert.Contains(">unary-closed</a>", index, StringComparison.Ordinal);
        Assert.Contains("DAMAGED: ", index, StringComparison.Ordinal);
    }

    private static Task<CommandResult> LoadGenAsync(params string[] arguments) =>
        CommandRunner.RunAsync("dotnet", [RepositoryPaths.LoadGenDll, .. arguments], timeout: Limit);

    private string Copy(string fixture, string folder)
    {
        var path = Directory.CreateDirectory(Path.Combine(_reports, folder)).FullName;
        File.Copy(Path.Combine(TestData, fixture, "result.json"), Path.Combine(path, "result.json"));
        return path;
    }

    private string Damaged(string folder, string damage)
    {
        var path = Copy("unary-closed", folder);
        var file = Path.Combine(path, "result.json");
        var json = JsonNode.Parse(File.ReadAllText(file))!;
        switch (damage)
        {
            case "corrupt-histogram":
                json["totals"]!["latency"]!["encoded"] = "HISTFAAAAAAAAAAAAAAA";
                File.WriteAllText(file, json.ToJsonString());
                break;
            case "truncated":
                File.WriteAllText(file, json.ToJsonString()[..1000]);
                break;
            case "newer-version":
                json["version"] = 99;
                File.WriteAllText(file, json.ToJsonString());
                break;
            case "null-totals":
                json["totals"] = null;
                File.WriteAllText(file, json.ToJsonString());
                break;
            case "binary":
                File.WriteAllBytes(file, [0x00, 0xFF, 0xFE, 0x7B, 0x22, 0x80]);
                break;
            case "folder":
                File.Delete(file);
                Directory.CreateDirectory(file);
                break;
            default:
                throw new ArgumentException($"no damage named {damage}", nameof(damage));
        }

        return path;
    }
}

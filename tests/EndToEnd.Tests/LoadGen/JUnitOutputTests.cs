extern alias LoadGen;

using System.Xml.Linq;
using GrpcLoadLab.EndToEnd.Tests.Processes;
using LoadGen::GrpcLoadLab.LoadGen.Runner;

namespace GrpcLoadLab.EndToEnd.Tests.LoadGen;

/// <summary><c>loadgen run --junit FILE</c>, as a CI job runs it against a real server process.</summary>
public class JUnitOutputTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_run_writes_its_thresholds_and_its_validity_as_JUnit_beside_its_result()
    {
        await using var server = await ServerProcess.StartAsync();
        var junit = Path.Combine(Directory.CreateTempSubdirectory("junit-").FullName, "loadgen.xml");
        var scenario = Path.Combine(RepositoryPaths.Root, "scenarios", "unary-closed.json");

        var (exitCode, run) = await LoadGenProcess.RunAsync(
            RunLimit, "run", scenario, "--target", $"static:127.0.0.1:{server.Port}", "--duration", "2s", "--junit", junit);
        await using (run)
        {
            var result = run.ReadResult();
            Assert.True(exitCode is ExitCodes.Passed or ExitCodes.ThresholdsFailed or ExitCodes.Invalid, $"exit {exitCode}\n{run.StandardOutput}{run.StandardError}");
            Assert.Contains($"junit: {junit}", run.StandardOutput, StringComparison.Ordinal);
            var suite = Assert.Single(XDocument.Load(junit).Root!.Elements("testsuite"));
            Assert.Equal(result.Name, (string?)suite.Attribute("name"));
            var cases = suite.Elements("testcase").ToList();
            Assert.Equal(result.Verdict.Thresholds.Count + 1, cases.Count);
            var failed = result.Verdict.Thresholds.Count(t => !t.Passed) + (result.Verdict.Valid ? 0 : 1);
            Assert.Equal(failed, cases.Count(c => c.Element("failure") is not null));
            Assert.Equal(failed.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)suite.Attribute("failures"));
        }
    }

    [Fact]
    public async Task A_junit_file_in_a_missing_folder_exits_2_before_any_load()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-folder-{Guid.NewGuid():N}", "loadgen.xml");
        var scenario = Path.Combine(RepositoryPaths.Root, "scenarios", "unary-closed.json");

        var (exitCode, run) = await LoadGenProcess.RunAsync(RunLimit, "run", scenario, "--target", "static:127.0.0.1:9", "--junit", missing);
        await using (run)
        {
            Assert.Equal(ExitCodes.BadInput, exitCode);
            var line = Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal($"loadgen: --junit {missing}: the folder {Path.GetDirectoryName(missing)} does not exist: make it first, or write the file elsewhere", line);
            Assert.False(Directory.Exists(Path.Combine(run.WorkingDirectory, "reports")));
        }
    }
}

extern alias LoadGen;

using GrpcLoadLab.EndToEnd.Tests.LoadGen;
using LoadGen::GrpcLoadLab.LoadGen.Runner;

namespace GrpcLoadLab.EndToEnd.Tests.Balancing;

/// <summary>
/// A target that names one server twice, in any spelling, stops <c>loadgen run</c> before any load: one line naming
/// both items (once an ArgumentException with exit 134, or "no server answered within 10s" for a registry).
/// </summary>
public sealed class RepeatedTargetTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("repeated-target-").FullName;

    [Theory]
    [InlineData("static:127.0.0.1:9,127.0.0.1:9", "item 2: '127.0.0.1:9' is the same server as item 1 ('127.0.0.1:9')")]
    [InlineData("static:localhost:9, 127.0.0.1:9 ", "item 2: '127.0.0.1:9' is the same server as item 1 ('localhost:9')")]
    [InlineData("static:Localhost:9,LOCALHOST:9", "item 2: 'LOCALHOST:9' is the same server as item 1 ('Localhost:9')")]
    [InlineData("static:[::1]:9,[0:0::1]:9", "item 2: '[0:0::1]:9' is the same server as item 1 ('[::1]:9')")]
    public async Task A_static_target_with_a_repeat_exits_2_in_one_line_before_any_load(string target, string expected)
    {
        var line = await RunRefusedAsync(target);

        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "127.0.0.1:9", "127.0.0.1:9" }, "line 2: '127.0.0.1:9' is the same server as line 1")]
    [InlineData(new[] { "127.0.0.1:9", "127.0.0.1:10", "127.0.0.1:9   " }, "line 3: '127.0.0.1:9' is the same server as line 1")]
    [InlineData(new[] { "localhost:9", "# the same again", "127.0.0.1:9" }, "line 3: '127.0.0.1:9' is the same server as line 1 ('localhost:9')")]
    public async Task A_registry_with_a_repeat_exits_2_in_one_line_before_any_load(string[] lines, string expected)
    {
        var registry = Path.Combine(_folder, "servers.txt");
        File.WriteAllLines(registry, lines);

        var line = await RunRefusedAsync($"file:{registry}");

        Assert.Contains($"{registry} {expected}", line, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<string> RunRefusedAsync(string target)
    {
        var scenario = Path.Combine(_folder, "unary.json");
        File.WriteAllText(scenario, """{"name": "x", "phases": [{"type": "constant-rate", "rate": 10, "duration": "5s"}]}""");

        var (exitCode, run) = await LoadGenProcess.RunAsync(TimeSpan.FromMinutes(2), ["run", scenario, "--target", target]);
        await using (run)
        {
            Assert.True(exitCode == ExitCodes.BadInput, $"exit {exitCode}\n{run.StandardOutput}{run.StandardError}");
            Assert.False(Directory.Exists(Path.Combine(run.WorkingDirectory, "reports")));
            Assert.DoesNotContain("   at ", run.StandardError, StringComparison.Ordinal);
            var line = Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("loadgen: ", line, StringComparison.Ordinal);
            Assert.EndsWith("list each server once", line, StringComparison.Ordinal);
            return line;
        }
    }
}

extern alias LoadGen;

using System.Globalization;
using GrpcLoadLab.EndToEnd.Tests.Processes;
using HdrHistogram;
using LoadGen::GrpcLoadLab.LoadGen.Results;
using LoadGen::GrpcLoadLab.LoadGen.Runner;
using LoadGen::GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.EndToEnd.Tests.LoadGen;

/// <summary>
/// Two <c>loadgen run --agent K/2 --start-at T</c> processes against one server process, then <c>loadgen merge</c>:
/// as a user runs agents on two machines (docs/distributed.md), here on one.
/// </summary>
public class AgentsTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(3);

    /// <summary>Time for both processes to start, connect and be ready before the instant, also on a busy machine.</summary>
    private static readonly TimeSpan Lead = TimeSpan.FromSeconds(20);

    private const string Scenario = """
        {
          "name": "agents-e2e",
          "call": { "kind": "unary", "delay": "1ms" },
          "phases": [
            { "type": "constant-rate", "rate": 150, "duration": "2s" },
            { "type": "poisson", "rate": 150, "duration": "2s" },
            { "type": "iterations", "concurrency": 3, "iterations": 101 }
          ],
          "thresholds": ["errors < 1%", "p99 < 10s"]
        }
        """;

    [Fact]
    public async Task Two_agents_started_at_one_instant_merge_into_one_run_of_the_whole_scenario()
    {
        await using var server = await ServerProcess.StartAsync();
        var folder = Directory.CreateTempSubdirectory("loadgen-agents-").FullName;
        try
        {
            var scenarioFile = Path.Combine(folder, "agents.json");
            await File.WriteAllTextAsync(scenarioFile, Scenario);
            var startAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.Add(Lead).ToUnixTimeSeconds());
            var instant = startAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            string[] Arguments(int index) => ["run", scenarioFile, "--target", $"static:127.0.0.1:{server.Port}", "--agent", $"{index}/2", "--start-at", instant];

            await using var one = LoadGenProcess.Start(Arguments(1));
            await using var two = LoadGenProcess.Start(Arguments(2));
            var exits = await Task.WhenAll(one.WaitForExitAsync(RunLimit), two.WaitForExitAsync(RunLimit));

            var agents = new[] { one, two }.Select(run => (Run: run, Result: run.ReadResult())).ToList();
            for (var i = 0; i < 2; i++)
            {
                var (run, result) = agents[i];
                // An agent judges no threshold (they speak of the whole): its code says only whether it was valid.
                Assert.True(exits[i] == (result.Verdict.Valid ? ExitCodes.Passed : ExitCodes.Invalid), $"exit {exits[i]}\n{run.StandardOutput}{run.StandardError}");
                Assert.Equal((i + 1, 2), (result.Agent!.Index, result.Agent.Count));
                Assert.Equal(startAt, result.Agent.Clock.StartAt);
                Assert.True(result.Agent.Clock.Late || result.Agent.Clock.StartedAt >= startAt.AddMilliseconds(-5), $"agent {i + 1} started {result.Agent.Clock.StartedAt:O}, before {instant}");
                Assert.Contains(result.Agent.Clock.Late ? "it starts at once, late" : $"its load starts at {instant}", run.StandardError, StringComparison.Ordinal);
                Assert.Empty(result.Verdict.Thresholds);
            }

            var mergedFolder = Path.Combine(folder, "merged");
            var (mergeExit, merge) = await LoadGenProcess.RunAsync(RunLimit, "merge", ResultFolder(agents[1].Run), ResultFolder(agents[0].Run), "-o", mergedFolder);
            await using (merge)
            {
                var merged = ResultJson.Read(Path.Combine(mergedFolder, ResultJson.FileName));
                Assert.True(mergeExit == ExitCodes.Of(merged, interrupted: false), $"exit {mergeExit}\n{merge.StandardOutput}{merge.StandardError}");
                Assert.Equal([1, 2], merged.Agents!.Select(a => a.Agent.Index));

                // The merged calls are the agents' together, and together they are the whole scenario's schedule.
                Assert.Equal(agents[0].Result.Totals.Calls.Plus(agents[1].Result.Totals.Calls), merged.Totals.Calls);
                var seed = new Random(1);
                var scheduled = new ConstantRatePhase(150, TimeSpan.FromSeconds(2)).Arrivals(seed).Count() + new PoissonPhase(150, TimeSpan.FromSeconds(2)).Arrivals(seed).Count();
                Assert.Equal(scheduled + 101, merged.Totals.Calls.Started + merged.Totals.Calls.Dropped);

                // The merged p99 is the p99 of both agents' calls, decoded here.
                var union = new LongHistogram(1, 600_000_000, 3);
                foreach (var (_, result) in agents)
                {
                    union.Add(HistogramCodec.Decode(result.Totals.Latency.Encoded));
                }

                Assert.Equal(union.GetValueAtPercentile(99), merged.Totals.Latency.P99);
                Assert.Equal(union.TotalCount, merged.Timeline.Sum(s => s.Succeeded));
                Assert.Equal(["errors < 1%", "p99 < 10s"], merged.Verdict.Thresholds.Select(t => t.Threshold));
                Assert.Contains("id=\"agents-table\"", await File.ReadAllTextAsync(Path.Combine(mergedFolder, "report.html")), StringComparison.Ordinal);
                Assert.Contains($"report: {Path.Combine(mergedFolder, "report.html")}", merge.StandardOutput, StringComparison.Ordinal);
            }

            // The same agents without agent 1: refused in one line, nothing written.
            var (missingExit, missing) = await LoadGenProcess.RunAsync(RunLimit, "merge", ResultFolder(agents[1].Run), "-o", Path.Combine(folder, "none"));
            await using (missing)
            {
                Assert.Equal(ExitCodes.BadInput, missingExit);
                Assert.Equal("loadgen: agent 1/2 is missing (given: 2/2): merge the results of all 2 agents", missing.StandardError.Trim());
                Assert.False(Directory.Exists(Path.Combine(folder, "none")));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("--agent 3/2", "--agent 3/2: the agent's number must be from 1 to 2")]
    [InlineData("--agent 2", "--agent '2' is not K/N")]
    [InlineData("--agent 1/2000", "from 1 to 1000 agents")]
    [InlineData("--agent 1/2 --start-at 2026-12-02T10:00:00", "is not an ISO-8601 time with its zone")]
    [InlineData("--agent 1/2 --start-at 2126-12-02T10:00:00Z", "is more than 24h ahead")]
    [InlineData("--start-at 2026-12-02T10:00:00Z", "--start-at: starts agents together: give --agent K/N too")]
    [InlineData("--agent 1/5", "--agent 1/5: the phase 'warm-up' has 4 callers, fewer than the 5 agents")]
    public async Task Bad_agent_flags_exit_2_with_one_line_before_any_load(string flags, string expected)
    {
        var scenario = Path.Combine(RepositoryPaths.Root, "scenarios", "unary-closed.json");
        var (exitCode, run) = await LoadGenProcess.RunAsync(RunLimit, ["run", scenario, "--target", "static:127.0.0.1:9", "--concurrency", "4", .. flags.Split(' ')]);
        await using (run)
        {
            Assert.Equal(ExitCodes.BadInput, exitCode);
            var line = Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("loadgen: ", line, StringComparison.Ordinal);
            Assert.Contains(expected, line, StringComparison.Ordinal);
        }
    }

    private static string ResultFolder(LoadGenProcess run) =>
        Assert.Single(Directory.GetDirectories(Path.Combine(run.WorkingDirectory, "reports")));
}

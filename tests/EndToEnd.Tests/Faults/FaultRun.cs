extern alias LoadGen;

using System.Globalization;
using System.Text.Json.Nodes;
using GrpcLoadLab.EndToEnd.Tests.Fleet;
using GrpcLoadLab.EndToEnd.Tests.LoadGen;
using GrpcLoadLab.EndToEnd.Tests.Processes;
using LoadGen::GrpcLoadLab.LoadGen.Results;
using LoadGen::GrpcLoadLab.LoadGen.Runner;

namespace GrpcLoadLab.EndToEnd.Tests.Faults;

/// <summary>
/// A short fault scenario run by <c>loadgen run</c> against three instances the fleet script started with
/// <c>--allow-faults</c>, as in <c>docs/faults.md</c>: unary calls of 200 ms of awaited work, an open model of 150
/// calls/s, round robin unless the scenario says otherwise; a 1 s warm-up, then the measured load.
/// </summary>
/// <remarks>
/// The docs' fleet admits 20 calls at once per instance (100 calls/s each), which leaves the load a third of headroom
/// only while 200 ms of work takes 200 ms: on a busy 2-core machine the work takes longer, the calls in flight pile up,
/// and the instances shed calls with RESOURCE_EXHAUSTED, failures that a test of a kill would take for the kill's.
/// So the fleets of these tests admit every call, and the calls' deadline is generous, unless a test is about the
/// capacity or the deadline itself.
/// </remarks>
internal static class FaultRun
{
    public const int Rate = 150;

    /// <summary>The docs' capacity per instance, for the tests of shedding.</summary>
    public const int DocsCapacity = 20;

    private const string GenerousDeadline = "10s";

    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(2);

    /// <param name="capacity">Calls at once per instance (0: no limit).</param>
    public static async Task<LabFleet> StartFleetAsync(int capacity = 0)
    {
        var fleet = new LabFleet();
        var start = await fleet.RunAsync(
            TimeSpan.FromMinutes(5), "start", "3", "--base-port", Invariant(FreePorts.FindRange(3)), "--capacity", Invariant(capacity), "--allow-faults");
        Assert.True(start.ExitCode == 0, start.ToString());
        return fleet;
    }

    /// <summary>
    /// Runs a scenario with <paramref name="faults"/> (JSON objects) for <paramref name="measuredSeconds"/> after the
    /// warm-up, its target the fleet's registry; checks that its exit code is the one its verdict earns, that every call
    /// it started is accounted for, and returns its result.
    /// </summary>
    /// <param name="settings">More members of the scenario, e.g. <c>"target": {"retry": "retry"}</c>.</param>
    public static Task<RunResult> RunAsync(LabFleet fleet, string name, int measuredSeconds, string settings, params string[] faults) =>
        RunAsync(fleet, name, measuredSeconds, settings, Rate, GenerousDeadline, faults);

    /// <summary>As above, at <paramref name="rate"/> calls a second, each with a <paramref name="deadline"/>.</summary>
    public static async Task<RunResult> RunAsync(LabFleet fleet, string name, int measuredSeconds, string settings, int rate, string deadline, params string[] faults)
    {
        var file = Path.Combine(fleet.LabDirectory, $"{name}.json");
        await File.WriteAllTextAsync(file, string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "name": "{{name}}",
              "call": { "kind": "unary", "delay": "200ms", "deadline": "{{deadline}}" },
              "phases": [
                { "type": "constant-rate", "name": "warm-up", "warmup": true, "rate": {{rate}}, "duration": "1s" },
                { "type": "constant-rate", "rate": {{rate}}, "duration": "{{measuredSeconds}}s" }
              ],
              "faults": [{{string.Join(", ", faults)}}]{{(settings.Length == 0 ? "" : ", " + settings)}}
            }
            """));

        // The fleet script only for faults that act on a process: loadgen refuses a --fleet-script that nothing uses.
        string[] arguments = ["run", file, "--target", $"file:{fleet.RegistryPath}"];
        if (faults.Any(fault => JsonNode.Parse(fault)!["action"]!.GetValue<string>() is "kill" or "terminate" or "restart"))
        {
            arguments = [.. arguments, "--fleet-script", RepositoryPaths.FleetScript];
        }

        var (exitCode, run) = await LoadGenProcess.RunAsync(RunLimit, arguments);
        await using (run)
        {
            var result = run.ReadResult();
            var output = $"\n{run.StandardOutput}{run.StandardError}";
            var verdict = result.Verdict;
            var expected = !verdict.Valid ? ExitCodes.Invalid : verdict.ThresholdsPassed ? ExitCodes.Passed : ExitCodes.ThresholdsFailed;
            Assert.True(exitCode == expected, $"exit {exitCode}, expected {expected}{output}");
            Assert.False(result.Partial, output);
            Assert.True(result.Totals.Calls.AddsUp, output);
            Assert.All(result.Phases, phase => Assert.True(phase.Stats.Calls.AddsUp, $"phase {phase.Index}{output}"));
            Assert.Equal(faults.Length, result.Faults.Count);
            Assert.All(result.Faults, fault => Assert.True(fault.Ok, $"{fault}{output}"));
            return result;
        }
    }

    public static string Fault(string action, int instance, double atSeconds, string more = "") =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"at": "{{atSeconds}}s", "action": "{{action}}", "instance": {{instance}}{{more}}}""");

    /// <summary>The timeline's seconds that began at least <paramref name="seconds"/> after the fault was done (second N spans N−1 to N).</summary>
    public static IEnumerable<TimelineSecond> SecondsAfter(RunResult result, FaultRecord fault, double seconds) =>
        result.Timeline.Where(s => s.Second - 1 >= fault.DoneSeconds!.Value + seconds);

    public static long Failed(RunResult result) => result.Phases.Sum(p => p.Stats.Calls.Failed);

    /// <summary>What a failed assertion needs to tell a defect from a slow machine: statuses, seconds, endpoints, faults.</summary>
    public static string Describe(RunResult result) => string.Join(
        "\n",
        [
            $"{Failed(result)} failed; statuses: {string.Join(", ", result.Totals.StatusCodes.Select(s => $"{s.Key} {s.Value}"))}",
            $"faults: {string.Join("; ", result.Faults)}",
            .. result.Timeline.Select(s => string.Create(
                CultureInfo.InvariantCulture,
                $"second {s.Second}: started {s.Started}, failed {s.Failed}, in flight {s.InFlight}, generator cpu {s.Generator.CpuPercent:F0} %")),
            .. result.Endpoints.Select(e =>
                $"{e.Address} ({e.InstanceId}): succeeded {e.Succeeded}, failed {e.Failed} ({string.Join(", ", e.FailedByStatus.Select(f => $"{f.Key} {f.Value}"))}), picks {e.Picks}, retries {e.RetryAttempts}"),
        ]);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}

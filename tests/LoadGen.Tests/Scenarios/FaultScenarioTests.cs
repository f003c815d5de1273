using System.Text.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Tests.Scenarios;

/// <summary>A scenario's <c>faults</c>: how they are read and written, and one line naming the path and the fix for every bad one.</summary>
public class FaultScenarioTests
{
    // 2 s of warm-up and 8 s measured: a run planned to last 10 s.
    private const string Phases = """[{"type": "constant-rate", "rate": 10, "duration": "2s", "warmup": true}, {"type": "constant-rate", "rate": 10, "duration": "8s"}]""";

    public static TheoryData<string, string, string> Errors => new()
    {
        // The list and its items.
        { "\"faults\": {}", "$.faults", "must be a list [...], not an object" },
        { "\"faults\": [3]", "$.faults[0]", "must be an object with an action, e.g. {\"at\": \"10s\", \"action\": \"kill\", \"instance\": 2}" },
        { Faults("""{"at": "1s", "instance": 1}"""), "$.faults[0]", "has no action — add \"action\": one of kill, terminate, restart, slow, fail" },
        { Faults("""{"at": "1s", "action": "explode", "instance": 1}"""), "$.faults[0].action", "\"explode\" is not a fault action — use one of kill, terminate, restart, slow, fail" },
        { Faults("""{"at": "1s", "action": "kill"}"""), "$.faults[0]", "missing key 'instance' — add it: a whole number" },
        { Faults("""{"action": "kill", "instance": 1}"""), "$.faults[0]", "missing key 'at' — add it: a duration" },
        { Faults("""{"at": "1s", "action": "slow", "instance": 1}"""), "$.faults[0]", "missing key 'delay' — add it: a duration" },
        { Faults("""{"at": "1s", "action": "kill", "instance": 1, "until": "2s"}"""), "$.faults[0].until", "unknown key 'until' — the keys allowed here are action, at, instance" },
        { Faults("""{"at": "1s", "action": "fail", "instance": 1, "ratio": 1, "status": "UNAVAIL"}"""), "$.faults[0].status", "'UNAVAIL' is not allowed here — use one of OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT," },
        { Faults("""{"at": "1s", "action": "fail", "instance": 1, "ratio": 1, "status": 14}"""), "$.faults[0].status", "must be one of OK, CANCELLED," },
        { Faults("""{"at": "soon", "action": "kill", "instance": 1}"""), "$.faults[0].at", "'soon' is not a duration" },

        // The rules.
        { Faults("""{"at": "1s", "action": "kill", "instance": 0}"""), "$.faults[0].instance", "must be from 1 to 64 (instances count from 1, as scripts/servers.sh does)" },
        { Faults("""{"at": "-1s", "action": "terminate", "instance": 1}"""), "$.faults[0].at", "must not be negative: 0s is the start of the run (its warm-up included)" },
        { Faults("""{"at": "10s", "action": "restart", "instance": 1}"""), "$.faults[0].at", "must fall within the run's planned 10s (its phases, warm-up included), e.g. 5s" },
        { Faults("""{"at": "5s", "until": "5s", "action": "slow", "instance": 3, "delay": "200ms"}"""), "$.faults[0].until", "must be later than at (5s) — or leave it out: the fault then lasts to the end of the run" },
        { Faults("""{"at": "1s", "action": "slow", "instance": 3, "delay": "0ms"}"""), "$.faults[0].delay", "must be more than 0 and at most 1h (e.g. 10s)" },
        { Faults("""{"at": "1s", "action": "slow", "instance": 3, "delay": "2h"}"""), "$.faults[0].delay", "must be more than 0 and at most 1h" },
        { Faults("""{"at": "1s", "action": "fail", "instance": 2, "ratio": 0, "status": "UNAVAILABLE"}"""), "$.faults[0].ratio", "must be more than 0 and at most 1 (the share of calls that fail: 0.3 fails 3 in 10) (e.g. 0.3)" },
        { Faults("""{"at": "1s", "action": "fail", "instance": 2, "ratio": 1.5, "status": "UNAVAILABLE"}"""), "$.faults[0].ratio", "must be more than 0 and at most 1" },
        { Faults("""{"at": "1s", "action": "fail", "instance": 2, "ratio": 0.5, "status": "OK"}"""), "$.faults[0].status", "must be an error status, not OK — e.g. UNAVAILABLE or INVALID_ARGUMENT" },
        {
            Faults("""{"at": "1s", "action": "kill", "instance": 2}""", "\"target\": {\"address\": \"static:127.0.0.1:1,127.0.0.1:2\"}"),
            "$.faults[0].action",
            "'kill' needs the fleet's registry as the target (target.address or --target file:PATH, e.g. file:.lab/servers.txt)"
        },
        {
            Faults("""{"at": "1s", "action": "slow", "instance": 1, "delay": "1ms"}""", "\"target\": {\"address\": \"dns:lab.example:5001\"}"),
            "$.faults[0].action",
            "'slow' needs a file: or static: target, whose servers are numbered in order; a dns: name has no such order"
        },

        // One slow or fail fault at a time on an instance.
        {
            Faults("""{"at": "2s", "until": "6s", "action": "slow", "instance": 2, "delay": "1ms"}""", """{"at": "1s", "action": "kill", "instance": 2}""", """{"at": "5s", "action": "fail", "instance": 2, "ratio": 1, "status": "INTERNAL"}"""),
            "$.faults[2].at",
            "overlaps $.faults[0] on instance 2: an instance holds one slow or fail fault at a time — start this one after that one's until"
        },
        {
            Faults("""{"at": "1s", "action": "slow", "instance": 1, "delay": "1ms"}""", """{"at": "8s", "action": "slow", "instance": 1, "delay": "2ms"}"""),
            "$.faults[1].at",
            "overlaps $.faults[0] on instance 1"
        },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void A_bad_fault_is_one_line_naming_the_path_and_the_fix(string members, string path, string problem)
    {
        var json = $$"""{"name": "t", "phases": {{Phases}}, {{members}}}""";

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(json, "bad.json"));

        Assert.Equal(path, error.Path);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"bad.json: {path}: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Every_action_is_read_with_its_values_and_until_is_optional()
    {
        var scenario = Parse(Faults(
            """{"at": "3s", "action": "kill", "instance": 2}""",
            """{"at": "4s", "action": "terminate", "instance": 1}""",
            """{"at": "5s", "action": "restart", "instance": 2}""",
            """{"at": "0s", "until": "9.5s", "action": "slow", "instance": 3, "delay": "200ms"}""",
            """{"action": "fail", "instance": 1, "at": "6s", "ratio": 0.3, "status": "INVALID_ARGUMENT"}"""));

        Assert.Equal(
            [
                new KillFault(TimeSpan.FromSeconds(3), 2),
                new TerminateFault(TimeSpan.FromSeconds(4), 1),
                new RestartFault(TimeSpan.FromSeconds(5), 2),
                new SlowFault(TimeSpan.Zero, 3, TimeSpan.FromMilliseconds(200)) { Until = TimeSpan.FromSeconds(9.5) },
                new FailFault(TimeSpan.FromSeconds(6), 1, 0.3, StatusCode.InvalidArgument),
            ],
            scenario.Faults);
        Assert.Equal([true, true, true, false, false], scenario.Faults.Select(f => f.ActsOnProcess()));
        Assert.Equal([null, null, null, TimeSpan.FromSeconds(9.5), null], scenario.Faults.Select(f => f.PlannedEnd()));
        Assert.Equal(["kill", "terminate", "restart", "slow", "fail"], scenario.Faults.Select(ScenarioJson.ActionOf));
    }

    [Fact]
    public void No_faults_by_default()
    {
        Assert.Empty(Parse(string.Empty).Faults);
    }

    [Fact]
    public void Faults_are_written_back_as_the_file_has_them_and_read_again_alike()
    {
        var scenario = Parse(Faults("""{"at": "5s", "until": "7s", "action": "fail", "instance": 2, "ratio": 0.3, "status": "UNAVAILABLE"}"""));

        var json = JsonSerializer.Serialize(scenario, ScenarioJson.Options);

        var fault = JsonNode.Parse(json)!["faults"]![0]!.AsObject();
        Assert.Equal(["action", "at", "instance", "ratio", "status", "until"], fault.Select(p => p.Key));
        Assert.Equal(["fail", "5s", "2", "0.3", "UNAVAILABLE", "7s"], fault.Select(p => p.Value!.ToString()));
        Assert.Equal(scenario.Faults, ScenarioLoader.Parse(json, "again.json").Faults);
    }

    [Fact]
    public void A_target_given_on_the_command_line_is_checked_against_the_faults()
    {
        var scenario = Parse(Faults("""{"at": "1s", "action": "kill", "instance": 1}"""));

        var error = Assert.Throws<ScenarioException>(() => new ScenarioOverrides(Target: "static:127.0.0.1:5001").ApplyTo(scenario));
        Assert.Equal("$.faults[0].action", error.Path);

        // A shorter run (2s of warm-up and 0.5s measured) leaves a fault beyond its end.
        error = Assert.Throws<ScenarioException>(() => new ScenarioOverrides(Duration: TimeSpan.FromMilliseconds(500)).ApplyTo(Parse(Faults("""{"at": "3s", "action": "kill", "instance": 1}"""))));
        Assert.Equal("$.faults[0].at", error.Path);
    }

    [Fact]
    public void Status_names_are_grpcs_own_in_scenarios_and_results_alike()
    {
        Assert.Equal(
            ["OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
                "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"],
            Spellings.Status.Names);
        Assert.All(Enum.GetValues<StatusCode>(), code => Assert.Equal(Spellings.Status.Name(code), StatusNames.Of(code)));
        Assert.Equal("42", StatusNames.Of((StatusCode)42));
    }

    private static Scenario Parse(string members) =>
        ScenarioLoader.Parse($$"""{"name": "t", "phases": {{Phases}}{{(members.Length == 0 ? "" : ", " + members)}}}""", "t.json");

    /// <summary>A <c>faults</c> member holding the given faults, and any other members.</summary>
    private static string Faults(params string[] faultsThenMembers)
    {
        var members = faultsThenMembers.Where(m => m.StartsWith('"')).ToList();
        var faults = faultsThenMembers.Where(m => m.StartsWith('{'));
        return string.Join(", ", members.Prepend($"\"faults\": [{string.Join(", ", faults)}]"));
    }
}

using GrpcLoadLab.Balancer;
using GrpcLoadLab.Balancer.Targets;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Tests.Scenarios;

/// <summary>Every way a scenario can be wrong gets one line naming the file, the JSON path and the fix.</summary>
public class ScenarioErrorTests
{
    private const string Phase = """{"type": "constant-rate", "rate": 100, "duration": "10s"}""";

    public static TheoryData<string, string?, string> Errors => new()
    {
        // Not JSON, or not a scenario object.
        { "{\"name\": \"x\",,}", null, "line 1, column 14: not valid JSON" },
        { " \n", null, "is empty — write one such as {\"name\": \"x\", \"phases\": [...]}" },
        { "{\"name\": \"x\"", null, "not valid JSON" },
        { "[1]", "$", "must be an object holding the scenario" },
        { "null", "$", "must be an object holding the scenario" },

        // Unknown, duplicate, missing and null keys.
        { Doc("\"nmae\": \"x\""), "$.nmae", "unknown key 'nmae' — the keys allowed here are $schema, name, description, target, call, phases, thresholds, report, maxOutstanding, seed" },
        { Doc("\"call\": {\"replySise\": 1}"), "$.call.replySise", "unknown key 'replySise' — the keys allowed here are kind, requestSize, replySize, replies" },
        { Doc("\"target\": {\"adress\": \"static:127.0.0.1:1\"}"), "$.target.adress", "unknown key 'adress'" },
        { Doc("\"report\": {\"dir\": \"r\"}"), "$.report.dir", "unknown key 'dir' — the keys allowed here are directory" },
        { Doc(null, """{"type": "poisson", "rate": 1, "duration": "1s", "seed": 2}"""), "$.phases[0].seed", "unknown key 'seed' — the keys allowed here are type, rate, duration, name, warmup" },
        { Doc(null, """{"type": "pause", "duration": "1s", "displayName": "p"}""", Phase), "$.phases[0].displayName", "unknown key 'displayName' — the keys allowed here are type, duration, name, warmup" },
        { Doc("\"seed\": 1, \"seed\": 2"), "$.seed", "'seed' is given twice — keep one" },
        { """{"phases": [""" + Phase + "]}", "$", "missing key 'name' — add it: a string" },
        { """{"name": "x"}""", "$", "missing key 'phases' — add it: a list" },
        { Doc(null, """{"type": "constant-rate", "duration": "10s"}"""), "$.phases[0]", "missing key 'rate' — add it: a number" },
        { Doc(null, """{"type": "ramp-concurrency", "to": 5, "duration": "10s"}"""), "$.phases[0]", "missing key 'from' — add it: a whole number" },
        { Doc(null, """{"type": "pause"}"""), "$.phases[0]", "missing key 'duration' — add it: a duration" },
        { """{"name": null, "phases": [""" + Phase + "]}", "$.name", "must not be null — give a string" },
        { Doc("\"target\": null"), "$.target", "must not be null — give an object" },

        // Checks on replies: a call of any service's, each with a path and a value.
        { Doc("\"call\": {\"expect\": [{\"path\": \"$.name\", \"equals\": \"x\"}]}"), "$.call.expect", "belongs to a call of any service's \"method\" (package.Service/Method), which the call does not name" },
        { Doc("\"call\": {\"method\": \"a.B/C\", \"expect\": [null]}"), "$.call.expect", "holds a null: give checks such as {\"path\": \"$.name\", \"equals\": \"x\"}" },
        { Doc("\"call\": {\"method\": \"a.B/C\", \"expect\": [{\"path\": \"$.name\"}]}"), "$.call.expect[0]", "missing key 'equals'" },
        { Doc("\"call\": {\"method\": \"a.B/C\", \"expect\": [{\"path\": \"$.name\", \"equal\": 1}]}"), "$.call.expect[0].equal", "unknown key 'equal' — the keys allowed here are path, equals" },

        // Phase types.
        { Doc(null, """{"rate": 100, "duration": "10s"}"""), "$.phases[0]", "has no type — add \"type\": one of constant-concurrency, ramp-concurrency, iterations, constant-rate, ramp-rate, poisson, pause" },
        { Doc(null, """{"type": "steady", "rate": 100}"""), "$.phases[0].type", "\"steady\" is not a phase type — use one of constant-concurrency," },
        { Doc(null, """{"type": 3}"""), "$.phases[0].type", "3 is not a phase type" },
        { Doc(null, "7"), "$.phases[0]", "must be an object with a type" },

        // Wrong JSON types.
        { Doc("\"seed\": \"one\""), "$.seed", "must be a whole number, not \"one\"" },
        { Doc("\"seed\": 1.5"), "$.seed", "must be a whole number, not 1.5" },
        { Doc("\"maxOutstanding\": 1e12"), "$.maxOutstanding", "1e12 is out of range: must be from 1 to 1000000 calls in flight" },
        { Doc("\"maxOutstanding\": 1.5"), "$.maxOutstanding", "must be a whole number, not 1.5" },
        { Doc("\"call\": {\"requestSize\": 2147483648}"), "$.call.requestSize", "2147483648 is out of range: must be from 0 to 4194304 bytes" },
        { Doc("\"seed\": -3000000000"), "$.seed", "-3000000000 is out of range: must be from -2147483648 to 2147483647" },
        { Doc("\"description\": 5"), "$.description", "must be a string, not 5" },
        { Doc("\"thresholds\": \"p99 < 5ms\""), "$.thresholds", "must be a list [...], not \"p99 < 5ms\"" },
        { Doc("\"call\": []"), "$.call", "must be an object {...}, not a list" },
        { Doc("\"target\": {\"healthChecks\": \"yes\"}"), "$.target.healthChecks", "must be true or false, not \"yes\"" },
        { Doc(null, """{"type": "constant-rate", "rate": "fast", "duration": "10s"}"""), "$.phases[0].rate", "must be a number, not \"fast\"" },
        { """{"name": "x", "phases": {}}""", "$.phases", "must be a list [...], not an object" },

        // Durations and enums.
        { Doc(null, """{"type": "constant-rate", "rate": 100, "duration": "10 seconds"}"""), "$.phases[0].duration", "'10 seconds' is not a duration — write it like 500ms, 10s or 2m" },
        { Doc(null, """{"type": "constant-rate", "rate": 100, "duration": 10}"""), "$.phases[0].duration", "must be a duration such as \"500ms\", \"10s\" or \"2m\", not 10" },
        { Doc("\"target\": {\"hedgingDelay\": \"soon\"}"), "$.target.hedgingDelay", "'soon' is not a duration" },
        { Doc("\"target\": {\"policy\": \"roundrobin\"}"), "$.target.policy", "'roundrobin' is not allowed here — use one of round_robin, pick_first or least_outstanding" },
        { Doc("\"target\": {\"policy\": 0}"), "$.target.policy", "must be one of round_robin, pick_first or least_outstanding, not 0" },
        { Doc("\"target\": {\"retry\": \"always\"}"), "$.target.retry", "use one of none, retry or hedging" },
        { Doc("\"call\": {\"kind\": \"ServerStream\"}"), "$.call.kind", "use one of unary, server-stream, client-stream or bidi" },

        // The scenario's name.
        { """{"name": "", "phases": [""" + Phase + "]}", "$.name", "must not be empty" },
        { """{"name": "my run/1", "phases": [""" + Phase + "]}", "$.name", "'my run/1' must be at most 100 letters, digits, '-', '_' or '.'" },

        // The target.
        { Doc("\"target\": {\"address\": \"http://x:1\"}"), "$.target.address", "target 'http://x:1' is not one of file:PATH, static:HOST:PORT" },
        { Doc("\"target\": {\"address\": \"static:nohost\"}"), "$.target.address", "'nohost' is not host:port" },
        { Doc("\"target\": {\"address\": \"file:\"}"), "$.target.address", "names no file" },
        { Doc("\"target\": {\"connectionsPerEndpoint\": 0}"), "$.target.connectionsPerEndpoint", "must be from 1 to 1000 connections (e.g. 4)" },
        { Doc("\"target\": {\"hedgingDelay\": \"0ms\"}"), "$.target.hedgingDelay", "must be more than 0 and at most 1h (e.g. 10s)" },
        { Doc("\"target\": {\"address\": \"dns:lab-server:5000\", \"dnsRefresh\": \"5s\"}"), "$.target.dnsRefresh", "must be from 15s to 1h: grpc-dotnet's DNS resolver waits at least 15s" },
        { Doc("\"target\": {\"address\": \"dns:lab-server:5000\", \"dnsRefresh\": \"2h\"}"), "$.target.dnsRefresh", "must be from 15s to 1h" },
        { Doc("\"target\": {\"dnsRefresh\": \"20s\"}"), "$.target.dnsRefresh", "is how often a dns: name is resolved again, and file:.lab/servers.txt is not one" },
        { Doc("\"target\": {\"tls\": {\"certFile\": \"c.pem\"}}"), "$.target.tls.keyFile", "is missing: a client certificate (certFile, --cert-file) goes with its private key (keyFile, --key-file)" },
        { Doc("\"target\": {\"tls\": {\"caFile\": \"ca.pem\", \"insecureSkipVerify\": true}}"), "$.target.tls.insecureSkipVerify", "accepts any server, so a CA file (caFile, --ca-file) would check nothing: give one of them" },
        { Doc("\"target\": {\"tls\": {\"authority\": \"\"}}"), "$.target.tls.authority", "'' is not a host name" },
        { Doc("\"target\": {\"tls\": {\"cafile\": \"ca.pem\"}}"), "$.target.tls.cafile", "unknown key 'cafile' — the keys allowed here are caFile, certFile, keyFile, authority, insecureSkipVerify" },

        // The call.
        { Doc("\"call\": {\"requestSize\": -1}"), "$.call.requestSize", "must be from 0 to 4194304 bytes (4 MiB)" },
        { Doc("\"call\": {\"replySize\": 4194305}"), "$.call.replySize", "must be from 0 to 4194304 bytes (4 MiB)" },
        { Doc("\"call\": {\"replies\": 0}"), "$.call.replies", "must be from 1 to 1000000 messages (e.g. 10)" },
        { Doc("\"call\": {\"messages\": 0}"), "$.call.messages", "must be from 1 to 1000000 messages (e.g. 10)" },
        { Doc("\"call\": {\"messageInterval\": \"-1ms\"}"), "$.call.messageInterval", "must be from 0s (none) to 1h" },
        { Doc("\"call\": {\"delay\": \"-1ms\"}"), "$.call.delay", "must be from 0s (none) to 1h" },
        { Doc("\"call\": {\"cpu\": \"-5us\"}"), "$.call.cpu", "must be from 0s (none) to 1h" },
        { Doc("\"call\": {\"deadline\": \"0s\"}"), "$.call.deadline", "must be more than 0 and at most 24h (e.g. 10s)" },

        // Each phase type's numbers.
        { Doc(null, """{"type": "constant-concurrency", "concurrency": 0, "duration": "10s"}"""), "$.phases[0].concurrency", "must be from 1 to 100000 calls in flight (e.g. 16)" },
        { Doc(null, """{"type": "constant-concurrency", "concurrency": -4, "duration": "10s"}"""), "$.phases[0].concurrency", "must be from 1 to 100000 calls in flight" },
        { Doc(null, """{"type": "constant-concurrency", "concurrency": 4, "duration": "0s"}"""), "$.phases[0].duration", "must be more than 0 and at most 24h (e.g. 10s)" },
        { Doc(null, """{"type": "ramp-concurrency", "from": -1, "to": 4, "duration": "10s"}"""), "$.phases[0].from", "must be from 0 to 100000 calls in flight" },
        { Doc(null, """{"type": "ramp-concurrency", "from": 0, "to": 0, "duration": "10s"}"""), "$.phases[0].to", "must be from 1 to 100000 calls in flight" },
        { Doc(null, """{"type": "ramp-concurrency", "from": 0, "to": 4, "duration": "-1s"}"""), "$.phases[0].duration", "must be more than 0" },
        { Doc(null, """{"type": "iterations", "concurrency": 0, "iterations": 10}"""), "$.phases[0].concurrency", "must be from 1 to 100000 calls in flight" },
        { Doc(null, """{"type": "iterations", "concurrency": 2, "iterations": 0}"""), "$.phases[0].iterations", "must be from 1 to 1000000000000 calls (e.g. 1000)" },
        { Doc(null, """{"type": "iterations", "concurrency": 2, "iterations": 5, "timeout": "0s"}"""), "$.phases[0].timeout", "must be more than 0" },
        { Doc(null, """{"type": "constant-rate", "rate": 0, "duration": "10s"}"""), "$.phases[0].rate", "must be more than 0 and at most 1000000 calls a second (e.g. 100)" },
        { Doc(null, """{"type": "constant-rate", "rate": -5, "duration": "10s"}"""), "$.phases[0].rate", "must be more than 0 and at most 1000000 calls a second" },
        { Doc(null, """{"type": "ramp-rate", "from": -1, "to": 10, "duration": "10s"}"""), "$.phases[0].from", "must be from 0 to 1000000 calls a second" },
        { Doc(null, """{"type": "ramp-rate", "from": 10, "to": 0, "duration": "10s"}"""), "$.phases[0].to", "must be more than 0 and at most 1000000 calls a second" },
        { Doc(null, """{"type": "poisson", "rate": 0, "duration": "10s"}"""), "$.phases[0].rate", "must be more than 0 and at most 1000000 calls a second" },
        { Doc(null, """{"type": "poisson", "rate": 5, "duration": "0ms"}"""), "$.phases[0].duration", "must be more than 0" },
        { Doc(null, """{"type": "pause", "duration": "0s"}""", Phase), "$.phases[0].duration", "must be more than 0" },
        { Doc(null, """{"type": "pause", "duration": "1s", "name": ""}""", Phase), "$.phases[0].name", "must not be empty" },
        { Doc(null, Phase, """{"type": "constant-rate", "rate": 0, "duration": "1s"}"""), "$.phases[1].rate", "must be more than 0 and at most 1000000 calls a second (e.g. 100)" },

        // Something to measure.
        { """{"name": "x", "phases": []}""", "$.phases", "has nothing to measure — add a phase that is not a warm-up or a pause" },
        { Doc(null, """{"type": "constant-rate", "rate": 1, "duration": "1s", "warmup": true}""", """{"type": "pause", "duration": "1s"}"""), "$.phases", "has nothing to measure" },

        // Thresholds, maxOutstanding, report.
        { Doc("\"thresholds\": [\"p99 < 5ms\", \"p99 < 50\"]"), "$.thresholds[1]", "threshold 'p99 < 50': give a unit (us, ms or s), e.g. p99 < 50ms" },
        { Doc("\"thresholds\": [\"latency < 5ms\"]"), "$.thresholds[0]", "'latency' is not a metric" },
        { Doc("\"thresholds\": [null]"), "$.thresholds[0]", "must not be null — write a threshold such as \"p99 < 50ms\"" },
        { Doc("\"maxOutstanding\": 0"), "$.maxOutstanding", "must be from 1 to 1000000 calls in flight (e.g. 10000)" },
        { Doc("\"report\": {\"directory\": \" \"}"), "$.report.directory", "must not be empty" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void A_bad_scenario_is_one_line_naming_the_path_and_the_fix(string json, string? path, string problem)
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(json, "bad.json"));

        Assert.Equal(path, error.Path);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
        Assert.StartsWith(path is null ? "bad.json: " : $"bad.json: {path}: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain("System.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_registry_file_is_read_when_the_run_opens_the_target_not_when_the_scenario_is_read()
    {
        var json = Doc("\"target\": {\"address\": \"file:/nonexistent/servers.txt\"}");

        var target = ScenarioLoader.Parse(json, "x.json").Target.Address;

        Assert.Equal(("file:/nonexistent/servers.txt", TargetKind.File, "/nonexistent/servers.txt"), (target.Text, target.Kind, target.RegistryPath));
        var error = Assert.Throws<BalancerConfigurationException>(target.Open);
        Assert.Contains("registry file /nonexistent/servers.txt does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_scenario_file_is_named()
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load("/nonexistent/x.json"));

        Assert.Equal("/nonexistent/x.json: no such file — check the path (the ready scenarios are in scenarios/)", error.Message);
    }

    /// <summary>A scenario with one good phase (or the given ones) and the given extra members.</summary>
    private static string Doc(string? members, params string[] phases)
    {
        var list = phases.Length == 0 ? Phase : string.Join(", ", phases);
        return $$"""{"name": "t", "phases": [{{list}}]{{(members is null ? "" : ", " + members)}}}""";
    }
}

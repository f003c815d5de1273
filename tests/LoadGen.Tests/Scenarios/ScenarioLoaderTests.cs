using System.Text.Json;
using GrpcLoadLab.Balancer;
using GrpcLoadLab.Balancer.Transport;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Tests.Scenarios;

public class ScenarioLoaderTests
{
    private const string Full = """
        // Comments and trailing commas are allowed.
        {
          "$schema": "./scenario.schema.json",
          "name": "full.1_x",
          "description": "every key",
          "target": {
            "address": "static:127.0.0.1:5001,127.0.0.1:5002",
            "policy": "least_outstanding",
            "connectionsPerEndpoint": 2,
            "retry": "hedging",
            "hedgingDelay": "20ms",
            "healthChecks": false,
            "tls": { "caFile": "ca.pem", "certFile": "client.pem", "keyFile": "client.key", "authority": "localhost" },
          },
          "call": {
            "kind": "client-stream", "requestSize": 100, "replySize": 200, "replies": 3, "messages": 4,
            "messageInterval": "5ms", "delay": "250us", "cpu": "1.5ms", "deadline": "2m",
          },
          "phases": [
            { "duration": "1s", "type": "constant-concurrency", "concurrency": 2, "warmup": true, "name": "warm" },
            { "type": "ramp-concurrency", "from": 0, "to": 8, "duration": "2s" },
            { "type": "iterations", "concurrency": 4, "iterations": 1000, "timeout": "30s" },
            { "type": "constant-rate", "rate": 50.5, "duration": "3s" },
            { "type": "ramp-rate", "from": 10, "to": 100, "duration": "4s" },
            { "type": "poisson", "rate": 20, "duration": "5s" },
            { "type": "pause", "duration": "500ms" },
          ],
          "thresholds": ["p99 < 50ms", "errors < 1%"],
          "report": { "directory": "out" },
          "maxOutstanding": 64,
          "seed": 7,
        }
        """;

    [Fact]
    public void Every_key_is_read_into_the_model()
    {
        var scenario = ScenarioLoader.Parse(Full, "full.json");

        Assert.Equal("full.1_x", scenario.Name);
        Assert.Equal("every key", scenario.Description);
        Assert.Equal(
            new TargetSpec
            {
                Address = TargetAddress.Parse("static:127.0.0.1:5001,127.0.0.1:5002"),
                Policy = BalancingPolicy.LeastOutstanding,
                ConnectionsPerEndpoint = 2,
                Retry = RetryMode.Hedging,
                HedgingDelay = TimeSpan.FromMilliseconds(20),
                HealthChecks = false,
                Tls = new TlsSettings { CaFile = "ca.pem", CertFile = "client.pem", KeyFile = "client.key", Authority = "localhost" },
            },
            scenario.Target);
        Assert.Equal(
            new CallSpec
            {
                Kind = CallKind.ClientStream,
                RequestSize = 100,
                ReplySize = 200,
                Replies = 3,
                Messages = 4,
                MessageInterval = TimeSpan.FromMilliseconds(5),
                Delay = TimeSpan.FromMicroseconds(250),
                Cpu = TimeSpan.FromMicroseconds(1500),
                Deadline = TimeSpan.FromMinutes(2),
            },
            scenario.Call);
        Assert.Equal(
            [
                new ConstantConcurrencyPhase(2, TimeSpan.FromSeconds(1)) { Warmup = true, Name = "warm" },
                new RampConcurrencyPhase(0, 8, TimeSpan.FromSeconds(2)),
                new IterationsPhase(4, 1000) { Timeout = TimeSpan.FromSeconds(30) },
                new ConstantRatePhase(50.5, TimeSpan.FromSeconds(3)),
                new RampRatePhase(10, 100, TimeSpan.FromSeconds(4)),
                new PoissonPhase(20, TimeSpan.FromSeconds(5)),
                new PausePhase(TimeSpan.FromMilliseconds(500)),
            ],
            scenario.Phases);
        Assert.Equal(["p99 < 50ms", "errors < 1%"], scenario.Thresholds);
        Assert.Equal("out", scenario.Report.Directory);
        Assert.Equal(64, scenario.MaxOutstanding);
        Assert.Equal(7, scenario.Seed);
    }

    [Fact]
    public void Only_the_name_and_the_phases_are_required()
    {
        var scenario = ScenarioLoader.Parse(
            """{"name": "min", "phases": [{"type": "iterations", "concurrency": 1, "iterations": 1}]}""", "min.json");

        Assert.Equal(new TargetSpec(), scenario.Target);
        Assert.Equal("file:.lab/servers.txt", scenario.Target.Address.Text);
        Assert.Equal(new CallSpec(), scenario.Call);
        Assert.Equal(TimeSpan.FromMinutes(10), Assert.IsType<IterationsPhase>(Assert.Single(scenario.Phases)).Timeout);
        Assert.Empty(scenario.Thresholds);
        Assert.Equal("reports", scenario.Report.Directory);
        Assert.Equal(10_000, scenario.MaxOutstanding);
    }

    [Fact]
    public void A_registry_file_that_exists_is_accepted()
    {
        var registry = Path.GetTempFileName();
        File.WriteAllText(registry, "127.0.0.1:5001\n");
        try
        {
            var json = $$"""{"name": "f", "target": {"address": "file:{{registry}}"}, "phases": [{"type": "poisson", "rate": 1, "duration": "1s"}]}""";

            Assert.Equal($"file:{registry}", ScenarioLoader.Parse(json, "f.json").Target.Address.Text);
        }
        finally
        {
            File.Delete(registry);
        }
    }

    [Fact]
    public void Load_reads_the_file_and_names_it_in_errors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"name": "x", "phases": [{"type": "pause", "duration": "1s"}, {"type": "poisson", "rate": 0, "duration": "1s"}]}""");
        try
        {
            var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(path));

            Assert.Equal($"{path}: $.phases[1].rate: must be more than 0 and at most 1000000 calls a second (e.g. 100)", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_scenario_written_with_the_scenario_options_reads_back_the_same()
    {
        var scenario = ScenarioLoader.Parse(Full, "full.json");

        var json = JsonSerializer.Serialize(scenario, ScenarioJson.Options);
        var again = ScenarioLoader.Parse(json, "written.json");

        Assert.Contains("\"deadline\": \"2m\"", json, StringComparison.Ordinal);
        Assert.Contains("\"delay\": \"250us\"", json, StringComparison.Ordinal);
        Assert.Contains("\"cpu\": \"1500us\"", json, StringComparison.Ordinal);
        Assert.Contains("\"policy\": \"least_outstanding\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"client-stream\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("displayName", json, StringComparison.Ordinal);
        Assert.DoesNotContain("$schema", json, StringComparison.Ordinal);
        Assert.Equal(scenario.Target, again.Target);
        Assert.Equal(scenario.Call, again.Call);
        Assert.Equal(scenario.Phases, again.Phases);
        Assert.Equal(scenario.Thresholds, again.Thresholds);
    }
}

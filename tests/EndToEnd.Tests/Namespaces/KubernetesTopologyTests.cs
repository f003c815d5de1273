extern alias LoadGen;

using System.Globalization;
using System.Text.Json;
using HdrHistogram;
using HdrHistogram.Utilities;
using LoadGen::GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.EndToEnd.Tests.Namespaces;

/// <summary>
/// The Kubernetes topology of deploy/kubernetes, for real: servers and load agents each in a network namespace with
/// an address of its own, one DNS name for every server. Needs root (CI runs as root); where namespaces cannot be
/// made, each test fails in one line saying so.
/// </summary>
public class KubernetesTopologyTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(3);

    // A pod that left gets no call once its NOT_SERVING has reached the agent's health watch: at once, with margin.
    private static readonly TimeSpan LeaveMargin = TimeSpan.FromSeconds(2);

    // Calls each server serves while the answer stays the same: 15 s of three servers' shares of 200/s, 20 s of four's.
    private const long StretchCalls = 1000;

    [Fact]
    public async Task A_dns_target_spreads_calls_evenly_over_the_servers_of_the_answer_as_it_grows_and_shrinks()
    {
        await using var topology = await KubernetesTopology.StartAsync(servers: 4, agents: 1);
        var (s1, s2, s3, s4) = (topology.Servers[0], topology.Servers[1], topology.Servers[2], topology.Servers[3]);
        var agent = topology.Agents[0];
        topology.Dns.Serve(s1, s2, s3);
        Assert.Equal([s1.Address, s2.Address, s3.Address], await KubernetesTopology.ResolveAsync(agent));

        // Re-resolved every 15 s, grpc-dotnet's shortest; long enough for the fourth server to join at the second
        // re-resolution at the latest, serve its share and one server to leave.
        var scenario = topology.WriteScenario(
            "dns-grows",
            $$"""{ "address": "{{KubernetesTopology.Target}}", "policy": "round_robin", "dnsRefresh": "15s" }""",
            """{ "type": "constant-rate", "rate": 200, "duration": "75s" }""");
        var run = topology.StartLoadGen(agent, topology.Folder, "run", scenario);

        // Three servers for a while, then the answer grows to four. Each stretch is long enough (15 s and more) that a
        // server stalled for a second by the busy machine, whose calls then end in the next stretch, stays within the
        // even share's margin.
        foreach (var server in new[] { s1, s2, s3 })
        {
            await topology.WaitUntilServedAsync(server, StretchCalls, run, RunLimit);
        }

        var grown = DateTimeOffset.UtcNow;
        topology.Dns.Serve(s1, s2, s3, s4);
        await topology.WaitUntilServedAsync(s4, StretchCalls, run, RunLimit);

        // Then the first leaves, as a deleted pod does: out of the answer, and SIGTERM (its drain).
        var left = DateTimeOffset.UtcNow;
        topology.Dns.Serve(s2, s3, s4);
        await topology.ServerProcesses[0].SignalAsync("TERM");

        var exitCode = await run.WaitForExitAsync(RunLimit);
        Assert.True(exitCode is 0 or 3, $"loadgen ended with {exitCode} (0 passed, 3 invalid on a busy machine):\n{run}");
        Assert.Equal(0, await topology.ServerProcesses[0].WaitForExitAsync(RunLimit));
        var result = ResultJson.Read(Assert.Single(Directory.GetFiles(topology.Folder, ResultJson.FileName, SearchOption.AllDirectories)));
        var seconds = Seconds(result);
        string Key(NetworkHost server) => $"{server.Address}:{KubernetesTopology.Port}";

        // The fourth got calls only after an answer that named it, which only a re-resolution could fetch.
        var fourAnswered = topology.Dns.Answers.First(a => a.Addresses.Contains(s4.Address));
        Assert.True(fourAnswered.At >= grown);
        var firstOfFourth = seconds.First(s => s.Calls(Key(s4)) > 0);
        Assert.True(firstOfFourth.End > fourAnswered.At, $"{s4} had calls in the second ending {firstOfFourth.End:O}, before its answer at {fourAnswered.At:O}");
        Assert.All(seconds.Where(s => s.End < grown), s => Assert.Equal(0, s.Calls(Key(s4))));

        // Round robin: even shares over the three, then over the four (whole seconds inside each stretch).
        AssertEven(seconds.Skip(1).Where(s => s.End <= grown), [.. new[] { s1, s2, s3 }.Select(Key)]);
        AssertEven(seconds.Where(s => s.Start >= firstOfFourth.End && s.End <= left), [.. new[] { s1, s2, s3, s4 }.Select(Key)]);

        // The one that left: no call once it said NOT_SERVING, and its drain cost no call at all.
        var after = seconds.Where(s => s.Start >= left + LeaveMargin).ToList();
        Assert.NotEmpty(after);
        Assert.All(after, s => Assert.Equal(0, s.Calls(Key(s1))));
        Assert.True(after.Sum(s => s.Succeeded) > 0);
        Assert.Equal(0, result.Totals.Calls.Failed);
    }

    [Fact]
    public async Task Two_agents_started_at_one_instant_merge_into_one_exact_run()
    {
        await using var topology = await KubernetesTopology.StartAsync(servers: 3, agents: 2);
        topology.Dns.Serve([.. topology.Servers]);
        var scenario = topology.WriteScenario(
            "two-agents",
            $$"""{ "address": "{{KubernetesTopology.Target}}", "policy": "round_robin" }""",
            """{ "type": "constant-rate", "rate": 200, "duration": "10s" }""",
            reports: "reports");

        // One instant for both, far enough ahead for two processes to start on a busy machine.
        var startAt = AgentsInterface.StartAt(DateTimeOffset.UtcNow.AddSeconds(30));
        // Each in a folder of its own, as on a machine of its own.
        var agents = topology.Agents.Select((agent, i) => topology.StartLoadGen(
            agent, Path.Combine(topology.Folder, $"agent-{i + 1}"), "run", scenario, AgentsInterface.AgentFlag, AgentsInterface.Agent(i + 1, 2), AgentsInterface.StartAtFlag, startAt)).ToList();
        foreach (var agent in agents)
        {
            Assert.True(await agent.WaitForExitAsync(RunLimit) is 0 or 3, agent.ToString());
        }

        var runs = Enumerable.Range(1, 2)
            .Select(k => Path.GetDirectoryName(Assert.Single(Directory.GetFiles(Path.Combine(topology.Folder, $"agent-{k}"), ResultJson.FileName, SearchOption.AllDirectories)))!)
            .ToList();
        var merged = Path.Combine(topology.Folder, "merged");
        var merge = topology.StartLoadGen(topology.Agents[0], topology.Folder, ["merge", .. runs, "-o", merged]);
        Assert.True(await merge.WaitForExitAsync(RunLimit) is 0 or 3, merge.ToString());

        var mergedResult = ReadJson(Assert.Single(Directory.GetFiles(merged, ResultJson.FileName, SearchOption.AllDirectories)));
        var agentResults = runs.Select(run => ReadJson(Path.Combine(run, ResultJson.FileName))).ToList();
        var totals = mergedResult.GetProperty("totals");

        // Each agent says which it was, and started no earlier than the instant.
        Assert.Equal(
            ["1/2", "2/2"],
            agentResults.Select(r => r.GetProperty("agent")).Select(a => $"{a.GetProperty("index").GetInt32()}/{a.GetProperty("count").GetInt32()}").Order(StringComparer.Ordinal));
        Assert.All(agentResults, r => Assert.True(r.GetProperty("startedAt").GetDateTimeOffset() >= DateTimeOffset.Parse(startAt, CultureInfo.InvariantCulture)));
        Assert.Equal(2, mergedResult.GetProperty("agents").GetArrayLength());

        // The merged calls are the agents' calls added up.
        foreach (var count in new[] { "started", "succeeded", "failed" })
        {
            Assert.Equal(
                agentResults.Sum(r => r.GetProperty("totals").GetProperty("calls").GetProperty(count).GetInt64()),
                totals.GetProperty("calls").GetProperty(count).GetInt64());
        }

        // The merged p99 is the union's, decoded here from the agents' own histograms with HdrHistogram itself.
        var decoded = agentResults
            .Select(r => Convert.FromBase64String(r.GetProperty("totals").GetProperty("latency").GetProperty("encoded").GetString()!))
            .Select(bytes => HistogramEncoding.DecodeFromCompressedByteBuffer(ByteBuffer.Allocate(bytes), 0))
            .ToList();
        var union = decoded[0].Copy();
        union.Add(decoded[1]);

        Assert.Equal(union.TotalCount, totals.GetProperty("latency").GetProperty("count").GetInt64());
        Assert.Equal(union.GetValueAtPercentile(99), totals.GetProperty("latency").GetProperty("p99").GetInt64());

        // Round robin over the three servers, both agents together.
        var endpoints = mergedResult.GetProperty("endpoints").EnumerateArray().ToList();
        var served = endpoints.Select(e => e.GetProperty("succeeded").GetInt64()).ToList();
        Assert.True(served.Count == 3, $"the merged run names {served.Count} endpoints, not the 3 servers: {string.Join(", ", endpoints.Select(e => e.GetRawText()[..Math.Min(120, e.GetRawText().Length)]))}");
        Assert.All(served, calls => Assert.InRange((double)calls, served.Average() * 0.85, served.Average() * 1.15));
    }

    private static JsonElement ReadJson(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    /// <summary>Each server's share of the calls in <paramref name="seconds"/> is within 15 % of an even one.</summary>
    private static void AssertEven(IEnumerable<RunSecond> seconds, IReadOnlyList<string> servers)
    {
        var stretch = seconds.ToList();
        var calls = servers.Select(server => stretch.Sum(s => s.Calls(server))).ToList();
        Assert.True(
            calls.Sum() >= 100 * servers.Count,
            $"too few calls to compare: {string.Join(", ", calls)} in {stretch.Count} second(s), whose servers were {string.Join(", ", stretch.SelectMany(s => s.ByServer.Keys).Distinct())}");
        Assert.All(calls, count => Assert.InRange((double)count, calls.Average() * 0.85, calls.Average() * 1.15));
    }

    /// <summary>The run's timeline as wall-clock stretches, each with its calls per server.</summary>
    private static List<RunSecond> Seconds(RunResult result)
    {
        var seconds = new List<RunSecond>();
        var start = result.StartedAt;
        foreach (var second in result.Timeline)
        {
            var end = result.StartedAt + TimeSpan.FromSeconds(second.EndSeconds!.Value);
            seconds.Add(new RunSecond(start, end, second.Succeeded, second.Endpoints.ToDictionary(e => e.Key, e => e.Value.Succeeded + e.Value.Failed)));
            start = end;
        }

        return seconds;
    }

    private sealed record RunSecond(DateTimeOffset Start, DateTimeOffset End, long Succeeded, IReadOnlyDictionary<string, long> ByServer)
    {
        public long Calls(string server) => ByServer.GetValueOrDefault(server);
    }
}

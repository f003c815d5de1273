using BenchmarkDotNet.Attributes;
using GrpcLoadLab.LoadGen.Merging;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Tests.Merging;
using HdrHistogram;

namespace GrpcLoadLab.LoadGen.Benchmarks;

/// <summary>
/// <c>loadgen merge</c> of 10 agents × 60 s (issue 15): reading the ten result.json files (<see cref="Read"/>, the
/// baseline), and reading them and merging (<see cref="ReadAndMerge"/>: every histogram decoded, added and encoded
/// again, the merged result serialised). Each agent made 1,000 calls a second, latencies spread over 1 to 20 ms.
/// </summary>
[MemoryDiagnoser]
public class MergeBenchmarks
{
    private const int Agents = 10;
    private const int Seconds = 60;
    private const int CallsPerSecond = 1_000;

    private string _folder = null!;
    private string[] _paths = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(15);
        _folder = Directory.CreateTempSubdirectory("loadgen-merge-bench-").FullName;
        _paths = [.. Enumerable.Range(1, Agents).Select(index =>
        {
            var perSecond = Enumerable.Range(0, Seconds)
                .Select(_ => AgentRuns.Histogram(Enumerable.Range(0, CallsPerSecond).Select(_ => (long)(1_000 * Math.Exp(random.NextDouble() * 3)))))
                .ToList();
            var totals = new LongHistogram(1, 600_000_000, 3);
            perSecond.ForEach(totals.Add);
            var folder = Path.Combine(_folder, $"agent-{index}");
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, ResultJson.FileName);
            WholeFile.WriteJson(path, AgentRuns.Agent(index, Agents, totals, perSecond, offsetSeconds: index * 0.001), ResultJson.Options);
            return path;
        })];
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Baseline = true)]
    public int Read() => AgentResults.Read(_paths).Count;

    [Benchmark]
    public string ReadAndMerge() => System.Text.Json.JsonSerializer.Serialize(RunMerger.Merge(AgentResults.Read(_paths)), ResultJson.Options);
}

using System.Text.Json;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Merging;

/// <summary>
/// The agents' results that <c>loadgen merge</c> is given, read and checked as one set: every one an agent's result,
/// all of one run (one scenario, one count N), each agent 1 to N exactly once, each second's histogram kept. Anything
/// else is refused in one line, before anything is written.
/// </summary>
internal static class AgentResults
{
    /// <summary>The agents' results in agent order, each with the path it was read from.</summary>
    /// <param name="paths">Run folders or their result.json files.</param>
    /// <exception cref="MergeException">What keeps them from being merged.</exception>
    public static IReadOnlyList<(string Source, RunResult Run)> Read(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var runs = paths.Select(path => (Source: ResultPath(path), Run: ReadOne(ResultPath(path)))).ToList();
        foreach (var (source, run) in runs)
        {
            Check(source, run);
        }

        var count = runs[0].Run.Agent!.Count;
        var other = runs.FirstOrDefault(r => r.Run.Agent!.Count != count);
        if (other.Run is not null)
        {
            throw new MergeException($"{runs[0].Source} is agent {runs[0].Run.Agent!.Text} but {other.Source} is agent {other.Run.Agent!.Text}: merge the agents of one run, all run with the same N");
        }

        if (runs.GroupBy(r => r.Run.Agent!.Index).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new MergeException($"agent {twice.First().Run.Agent!.Text} is given twice: {string.Join(" and ", twice.Select(r => r.Source))}; give each agent once");
        }

        var missing = Enumerable.Range(1, count).Except(runs.Select(r => r.Run.Agent!.Index)).ToList();
        if (missing.Count > 0)
        {
            var given = string.Join(", ", runs.Select(r => r.Run.Agent!.Index).Order().Select(i => $"{i}/{count}"));
            throw new MergeException($"{Agents(missing, count)} missing (given: {given}): merge the results of all {count} agents");
        }

        var ordered = runs.OrderBy(r => r.Run.Agent!.Index).ToList();
        var first = ordered[0];
        var scenario = ScenarioText(first.Run);
        var stranger = ordered.Skip(1).FirstOrDefault(r => ScenarioText(r.Run) != scenario);
        if (stranger.Run is not null)
        {
            var names = stranger.Run.Scenario.Name == first.Run.Scenario.Name ? "" : $" ('{stranger.Run.Scenario.Name}', not '{first.Run.Scenario.Name}')";
            throw new MergeException($"agent {stranger.Run.Agent!.Text} ({stranger.Source}) ran another scenario{names} than agent {first.Run.Agent!.Text} ({first.Source}): merge the agents of one run");
        }

        return ordered;
    }

    /// <summary>A run folder's result.json, or the file itself.</summary>
    private static string ResultPath(string path) => Directory.Exists(path) ? Path.Combine(path, ResultJson.FileName) : path;

    private static RunResult ReadOne(string path)
    {
        if (!File.Exists(path))
        {
            throw new MergeException($"{path} does not exist: give run folders of loadgen run --agent K/N, or their {ResultJson.FileName}");
        }

        try
        {
            return ResultJson.Read(path);
        }
        catch (JsonException e)
        {
            throw new MergeException(e.Message);
        }
    }

    private static void Check(string source, RunResult run)
    {
        if (run.Agent is not { } agent)
        {
            throw new MergeException($"{source} is not an agent's result (it has no agent): merge the results of loadgen run --agent K/N");
        }

        if (agent.Count < 1 || agent.Index < 1 || agent.Index > agent.Count)
        {
            throw new MergeException($"{source} is damaged: its agent {agent.Text} is not one of 1 to {agent.Count}");
        }

        if (run.Timeline.Any(second => second.Histogram is null))
        {
            throw new MergeException($"{source} keeps no latency histogram for each second of its timeline, so its seconds cannot be merged exactly: run the agent again with this loadgen");
        }
    }

    /// <summary>The scenario as the file holds it: two agents of one run hold the same text.</summary>
    private static string ScenarioText(RunResult run) => JsonSerializer.Serialize(run.Scenario, ResultJson.Options);

    private static string Agents(IReadOnlyList<int> indexes, int count)
    {
        var names = indexes.Select(i => $"{i}/{count}").ToList();
        return names.Count == 1 ? $"agent {names[0]} is" : $"agents {string.Join(", ", names.Take(names.Count - 1))} and {names[^1]} are";
    }
}

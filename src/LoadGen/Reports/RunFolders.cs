using System.Text.Json;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Sweeps;

namespace GrpcLoadLab.LoadGen.Reports;

/// <summary>Finds and reads the runs that reports are made from: a run's folder holds its <c>result.json</c>.</summary>
internal static class RunFolders
{
    public const int MinCompared = 2;
    public const int MaxCompared = 10;

    public static RunResult Read(string runFolder)
    {
        var path = Path.Combine(runFolder, ResultJson.FileName);
        if (!File.Exists(path))
        {
            throw new ReportException($"{runFolder} holds no {ResultJson.FileName}");
        }

        try
        {
            return ResultJson.Read(path);
        }
        catch (JsonException e)
        {
            throw new ReportException($"{path} is not a result: {e.Message}");
        }
    }

    /// <summary>Runs to compare, read and checked: 2 to 10 of them, all of one call kind (mixed kinds measure different things).</summary>
    public static IReadOnlyList<RunResult> ReadComparable(IReadOnlyList<string> runFolders)
    {
        if (runFolders.Count is < MinCompared or > MaxCompared)
        {
            throw new ReportException($"compare takes {MinCompared} to {MaxCompared} run folders, not {runFolders.Count}");
        }

        var runs = runFolders.Select(Read).ToList();
        var kinds = runs.Select(r => r.Scenario.Call.Kind).Distinct().ToList();
        if (kinds.Count > 1)
        {
            throw new ReportException($"cannot compare runs of different call kinds ({string.Join(", ", kinds.Select(Spellings.CallKind.Name))}): compare runs of one kind");
        }

        return runs;
    }

    /// <summary>Every readable sweep under <paramref name="reportsFolder"/>, newest first, with its folder's name.</summary>
    public static IReadOnlyList<(string Folder, SweepResult Sweep)> Sweeps(string reportsFolder) =>
        [.. ReadEach(reportsFolder, SweepJson.FileName, SweepJson.Read).OrderByDescending(s => s.Value.StartedAt)];

    /// <summary>Every readable run under <paramref name="reportsFolder"/>, newest first, with its folder's name.</summary>
    public static IReadOnlyList<(string Folder, RunResult Result)> All(string reportsFolder) =>
        [.. ReadEach(reportsFolder, ResultJson.FileName, ResultJson.Read).OrderByDescending(r => r.Value.StartedAt).ThenByDescending(r => r.Folder, StringComparer.Ordinal)];

    /// <summary>The file <paramref name="fileName"/> of every folder under <paramref name="reportsFolder"/> that holds a readable one.</summary>
    private static List<(string Folder, T Value)> ReadEach<T>(string reportsFolder, string fileName, Func<string, T> read)
    {
        var found = new List<(string, T)>();
        if (!Directory.Exists(reportsFolder))
        {
            return found;
        }

        foreach (var folder in Directory.EnumerateDirectories(reportsFolder))
        {
            var path = Path.Combine(folder, fileName);
            try
            {
                if (File.Exists(path))
                {
                    found.Add((Path.GetFileName(folder), read(path)));
                }
            }
            catch (JsonException)
            {
                // A damaged or foreign file must not cost the index the other runs.
            }
        }

        return found;
    }
}

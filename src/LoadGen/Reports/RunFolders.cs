using System.Text.Json;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Reports;

/// <summary>
/// Finds and reads the runs that reports are made from: a run's folder holds its <c>result.json</c>, a sweep's its
/// <c>sweep.json</c>. A damaged file is named with what is wrong with it and never costs the others anything.
/// </summary>
internal static class RunFolders
{
    public const int MinCompared = 2;
    public const int MaxCompared = 10;

    /// <exception cref="ReportException">The folder holds no result, or a damaged one: one line says which file and what is wrong.</exception>
    public static RunResult Read(string runFolder)
    {
        var path = Path.Combine(runFolder, ResultJson.FileName);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new ReportException($"{runFolder} holds no {ResultJson.FileName}");
        }

        try
        {
            return ResultJson.Read(path);
        }
        catch (JsonException e)
        {
            throw new ReportException(e.Message);
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

    /// <summary>
    /// Every run folder under <paramref name="reportsFolder"/> (a folder that is not a sweep's), newest first and the
    /// damaged ones last, each with its index entry: cached, so this reads no result that has not changed.
    /// </summary>
    public static IReadOnlyList<(string Folder, IndexEntry Entry)> All(string reportsFolder) =>
        [.. Folders(reportsFolder)
            .Where(folder => !File.Exists(Path.Combine(folder, SweepJson.FileName)))
            .Select(folder => (Folder: Path.GetFileName(folder), Entry: IndexEntries.For(folder)))
            .OrderBy(r => r.Entry.Damage is not null)
            .ThenByDescending(r => r.Entry.StartedAt)
            .ThenByDescending(r => r.Folder, StringComparer.Ordinal)];

    /// <summary>Every sweep under <paramref name="reportsFolder"/>, newest first; a damaged one with what is wrong instead.</summary>
    public static IReadOnlyList<SweepListing> Sweeps(string reportsFolder) =>
        [.. Folders(reportsFolder)
            .Where(folder => File.Exists(Path.Combine(folder, SweepJson.FileName)) || Directory.Exists(Path.Combine(folder, SweepJson.FileName)))
            .Select(ReadSweep)
            .OrderBy(s => s.Sweep is null)
            .ThenByDescending(s => s.Sweep?.StartedAt)];

    /// <summary>The pages <c>loadgen compare</c> left in <paramref name="reportsFolder"/> (any HTML file there but the index), newest first.</summary>
    public static IReadOnlyList<(string File, DateTime Written)> ComparePages(string reportsFolder) =>
        !Directory.Exists(reportsFolder) ? []
        : [.. new DirectoryInfo(reportsFolder).EnumerateFiles("*.html")
            .Where(file => file.Name != IndexPage.FileName)
            .OrderByDescending(file => file.LastWriteTimeUtc)
            .Select(file => (file.Name, file.LastWriteTime))];

    private static IEnumerable<string> Folders(string reportsFolder) =>
        Directory.Exists(reportsFolder) ? Directory.EnumerateDirectories(reportsFolder) : [];

    private static SweepListing ReadSweep(string folder)
    {
        try
        {
            return new(Path.GetFileName(folder), SweepJson.Read(Path.Combine(folder, SweepJson.FileName)), null);
        }
        catch (JsonException e)
        {
            return new(Path.GetFileName(folder), null, e.Message);
        }
    }
}

/// <summary>A sweep's folder and its result, or, when its <c>sweep.json</c> is damaged, what is wrong with it.</summary>
internal sealed record SweepListing(string Folder, SweepResult? Sweep, string? Damage);

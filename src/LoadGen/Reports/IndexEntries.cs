using System.Text.Json;
using GrpcLoadLab.LoadGen.Reports.Charts;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Reports;

/// <summary>
/// The index's per-run cache. Writing the index used to read and decode every run's <c>result.json</c> (80 runs: a
/// 2-second run took 39 s to end). Now each run folder keeps beside its result what the index needs of it:
/// <list type="bullet">
/// <item><c>index-entry.json</c> (<see cref="IndexEntry"/>), the row and the key figures, a few hundred bytes;</item>
/// <item><c>index-charts.js</c>, the run's overlay traces, which the index page loads by a script element only when
/// the run is compared (a page opened from file:// may not fetch() its neighbours in Chromium, but may load their
/// scripts), so that the page does not grow by every run's chart data.</item>
/// </list>
/// Both are made once, lazily, the first time an index meets the run (old runs too), and again only when
/// <c>result.json</c>'s length or last write time changes. A per-run file rather than one cache file for the folder:
/// runs that end at the same moment never write the same file, and a copied or deleted run folder takes its entry
/// with it. A damaged result is cached as damaged, so it costs one read too.
/// </summary>
internal static class IndexEntries
{
    public const string ChartsFile = "index-charts.js";

    /// <summary>The global function the charts file calls with its traces.</summary>
    public const string ChartsCallback = "labRunCharts";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The entry of the run in <paramref name="runFolder"/>, from its cache when that is current.</summary>
    public static IndexEntry For(string runFolder)
    {
        var resultPath = Path.Combine(runFolder, ResultJson.FileName);
        if (Directory.Exists(resultPath))
        {
            return IndexEntry.Damaged("", $"{resultPath} is a folder, not a file");
        }

        var file = new FileInfo(resultPath);
        if (!file.Exists)
        {
            return IndexEntry.Damaged("", $"{runFolder} holds no {ResultJson.FileName}");
        }

        var stamp = $"{file.Length}:{file.LastWriteTimeUtc.Ticks}";
        var entryPath = Path.Combine(runFolder, IndexEntry.FileName);
        if (Cached(entryPath, stamp) is { } cached && (cached.Damage is not null || File.Exists(Path.Combine(runFolder, ChartsFile))))
        {
            return cached;
        }

        IndexEntry entry;
        try
        {
            var result = ResultJson.Read(resultPath);
            entry = IndexEntry.Of(result, stamp);
            WriteQuietly(Path.Combine(runFolder, ChartsFile), $"{ChartsCallback}({Charts(Path.GetFileName(Path.GetFullPath(runFolder)), result)});\n");
        }
        catch (JsonException e)
        {
            entry = IndexEntry.Damaged(stamp, e.Message);
        }

        WriteQuietly(entryPath, JsonSerializer.Serialize(entry, Json));
        return entry;
    }

    /// <summary>The run's overlay traces, labelled by its folder, from the same builders as the comparison page.</summary>
    public static string Charts(string label, RunResult result)
    {
        // Drawn as in an overlay (dashes name the measures); the page gives each chosen run its own colour.
        IReadOnlyList<RunSeries> run = [new RunSeries(label, result) { Colour = RunSeries.Palette[0] }];
        return $"{{\"throughput\":{ChartJson(TimeCharts.Throughput(run))},\"latency\":{ChartJson(TimeCharts.LatencyOverTime(run))},\"spectrum\":{ChartJson(DistributionCharts.Spectra(run, ("latency", t => t.Latency)))}}}";
    }

    private static string ChartJson(Plotly.NET.GenericChart chart) => Plotly.NET.GenericChart.toJson(chart);

    /// <summary>The cached entry when it was made from this very file by this version; anything else is made again.</summary>
    private static IndexEntry? Cached(string entryPath, string stamp)
    {
        try
        {
            var entry = JsonSerializer.Deserialize<IndexEntry>(File.ReadAllBytes(entryPath), Json);
            return entry is { Version: IndexEntry.CurrentVersion } && entry.Stamp == stamp && entry.Figures is not null ? entry : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            // No entry yet, or a damaged one: a cache is made again, never trusted.
            return null;
        }
    }

    /// <summary>
    /// Writes whole or not at all (a reader never meets half a file; two writers each move their own complete file).
    /// A folder the user may not write to still gets listed: its entry is made again next time.
    /// </summary>
    private static void WriteQuietly(string path, string text)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            File.WriteAllText(temporary, text);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // Nothing was written: there is nothing to clean.
            }
        }
    }
}

using GrpcLoadLab.LoadGen.Reports.Html;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Reports;

/// <summary>Writes a run's report files beside its result.json, and the index of the folder that holds the runs.</summary>
public static class RunReportWriter
{
    public const string ReportFile = "report.html";
    public const string SummaryFile = "summary.md";
    public const string StatsFile = "stats.csv";

    /// <summary>report.html, summary.md and stats.csv into <paramref name="runFolder"/>, then the parent's index.html.</summary>
    /// <param name="sweepFolder">The folder of the sweep that ran it (<see cref="SweepListing"/>); null for a run of its own.</param>
    public static void Write(RunResult result, string runFolder, string? sweepFolder = null)
    {
        WriteRunFiles(result, runFolder, sweepFolder);
        IndexPage.Write(ParentOf(runFolder));
    }

    /// <summary>
    /// report.html, summary.md and stats.csv into <paramref name="runFolder"/>, and the shared plotly.js beside the run
    /// folders; the index is the caller's to write.
    /// </summary>
    /// <param name="result">The run.</param>
    /// <param name="runFolder">Its folder, beside result.json.</param>
    /// <param name="sweepFolder">The folder of the sweep that ran it, whose study the report links to; null for a run of its own.</param>
    public static void WriteRunFiles(RunResult result, string runFolder, string? sweepFolder = null)
    {
        PlotlyJs.WriteInto(ParentOf(runFolder));
        var study = sweepFolder is null ? null : $"../{Path.GetFileName(Path.GetFullPath(sweepFolder).TrimEnd(Path.DirectorySeparatorChar))}/{StudyReportWriter.StudyFile}";
        File.WriteAllText(Path.Combine(runFolder, ReportFile), RunPage.Render(result, study));
        File.WriteAllText(Path.Combine(runFolder, SummaryFile), SummaryMarkdown.Render(result));
        File.WriteAllText(Path.Combine(runFolder, StatsFile), StatsCsv.Render(result));
    }

    /// <summary>The folder of the sweep beside <paramref name="runFolder"/> that lists it as one of its runs, if any.</summary>
    public static string? SweepListing(string runFolder)
    {
        var name = Path.GetFileName(Path.GetFullPath(runFolder).TrimEnd(Path.DirectorySeparatorChar));
        var parent = ParentOf(runFolder);
        return RunFolders.Sweeps(parent)
            .Where(s => s.Sweep is not null && s.Sweep.Cells.Any(c => c.RunFolder == name))
            .Select(s => Path.Combine(parent, s.Folder))
            .FirstOrDefault();
    }

    /// <summary>The folder that holds the run folders (<c>reports/</c>).</summary>
    public static string ParentOf(string runFolder) =>
        Path.GetDirectoryName(Path.GetFullPath(runFolder).TrimEnd(Path.DirectorySeparatorChar)) ?? ".";
}

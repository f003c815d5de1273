using GrpcLoadLab.LoadGen.Reports.Html;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Reports;

/// <summary>Writes a run's report files beside its result.json, and the index of the folder that holds the runs.</summary>
public static class RunReports
{
    public const string ReportFile = "report.html";
    public const string SummaryFile = "summary.md";
    public const string StatsFile = "stats.csv";

    /// <summary>report.html, summary.md and stats.csv into <paramref name="runFolder"/>, then the parent's index.html.</summary>
    public static void Write(RunResult result, string runFolder)
    {
        WriteRunFiles(result, runFolder);
        IndexPage.Write(ParentOf(runFolder));
    }

    /// <summary>
    /// report.html, summary.md and stats.csv into <paramref name="runFolder"/>, and the shared plotly.js beside the run
    /// folders; the index is the caller's to write.
    /// </summary>
    public static void WriteRunFiles(RunResult result, string runFolder)
    {
        PlotlyJs.WriteInto(ParentOf(runFolder));
        File.WriteAllText(Path.Combine(runFolder, ReportFile), RunReport.Render(result));
        File.WriteAllText(Path.Combine(runFolder, SummaryFile), SummaryMarkdown.Render(result));
        File.WriteAllText(Path.Combine(runFolder, StatsFile), StatsCsv.Render(result));
    }

    /// <summary>The folder that holds the run folders (<c>reports/</c>).</summary>
    public static string ParentOf(string runFolder) =>
        Path.GetDirectoryName(Path.GetFullPath(runFolder).TrimEnd(Path.DirectorySeparatorChar)) ?? ".";
}

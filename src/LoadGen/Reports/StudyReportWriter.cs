using System.Text.Json;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Study;

namespace GrpcLoadLab.LoadGen.Reports;

/// <summary>Writes a sweep's <c>study.html</c> from its <c>sweep.json</c> and its runs' results, and the index beside them.</summary>
public static class StudyReportWriter
{
    public const string StudyFile = "study.html";

    /// <summary>Rebuilds <c>study.html</c> in <paramref name="sweepFolder"/> and the reports' index; returns the study's path.</summary>
    public static string Write(string sweepFolder) => Write(Analyse(sweepFolder), sweepFolder);

    /// <summary>Writes <paramref name="analysis"/> as <c>study.html</c> in <paramref name="sweepFolder"/> and rebuilds the reports' index; returns the study's path.</summary>
    public static string Write(StudyAnalysis analysis, string sweepFolder)
    {
        var path = Path.Combine(sweepFolder, StudyFile);
        File.WriteAllText(path, StudyPage.Render(analysis));
        IndexPage.Write(RunReportWriter.ParentOf(sweepFolder));
        return path;
    }

    /// <summary>The study of the sweep in <paramref name="sweepFolder"/>, from its <c>sweep.json</c> and its runs' results.</summary>
    public static StudyAnalysis Analyse(string sweepFolder)
    {
        var sweepPath = Path.Combine(sweepFolder, SweepJson.FileName);
        SweepResult sweep;
        try
        {
            sweep = SweepJson.Read(sweepPath);
        }
        catch (Exception e) when (e is JsonException or FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ReportException($"{sweepPath} is not a sweep's result: {e.Message}");
        }

        return StudyAnalysis.Of(sweep, CellReader(sweepFolder));
    }

    /// <summary>Reads a cell's run of the sweep in <paramref name="sweepFolder"/> by its folder name; null when it cannot be read.</summary>
    public static Func<string, RunResult?> CellReader(string sweepFolder)
    {
        var reportsFolder = RunReportWriter.ParentOf(sweepFolder);
        return folder => ReadRun(Path.Combine(reportsFolder, folder));
    }

    /// <summary>True when <paramref name="folder"/> holds a sweep rather than a run.</summary>
    public static bool IsSweep(string folder) => File.Exists(Path.Combine(folder, SweepJson.FileName));

    private static RunResult? ReadRun(string runFolder)
    {
        try
        {
            return RunFolders.Read(runFolder);
        }
        catch (ReportException)
        {
            return null;
        }
    }
}

using System.CommandLine;
using GrpcLoadLab.LoadGen.Reports;

namespace GrpcLoadLab.LoadGen.Commands;

/// <summary>
/// <c>loadgen report DIR</c>: rebuilds a run's report.html, summary.md and stats.csv from its result.json, or a
/// sweep's study.html from its sweep.json.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var runFolder = new Argument<string>("dir") { Description = "A run's folder, e.g. reports/20260101-120000-unary-open, or a sweep's." };
        var command = new Command("report", "Rebuild a run's report.html, summary.md and stats.csv from its result.json (or a sweep's study.html); rewrite the index.") { runFolder };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(runFolder)!;
            try
            {
                if (StudyReportWriter.IsSweep(folder))
                {
                    System.Console.Out.WriteLine($"study: {StudyReportWriter.Write(folder)}");
                    return 0;
                }

                RunReportWriter.Write(RunFolders.Read(folder), folder, RunReportWriter.SweepListing(folder));
            }
            catch (ReportException e)
            {
                return Cli.Fail(e.Message);
            }

            System.Console.Out.WriteLine($"report: {Path.Combine(folder, RunReportWriter.ReportFile)}");
            return 0;
        });
        return command;
    }
}

using System.CommandLine;
using GrpcLoadLab.LoadGen.Reports;

namespace GrpcLoadLab.LoadGen.Commands;

/// <summary><c>loadgen report RUN_DIR</c>: rebuilds a run's report.html, summary.md and stats.csv from its result.json.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var runFolder = new Argument<string>("run-dir") { Description = "A run's folder, e.g. reports/20260101-120000-unary-open." };
        var command = new Command("report", "Rebuild report.html, summary.md and stats.csv of a run from its result.json; rewrite the index.") { runFolder };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(runFolder)!;
            try
            {
                RunReports.Write(RunFolders.Read(folder), folder);
            }
            catch (ReportException e)
            {
                return Cli.Fail(e.Message);
            }

            System.Console.Out.WriteLine($"report: {Path.Combine(folder, RunReports.ReportFile)}");
            return 0;
        });
        return command;
    }
}

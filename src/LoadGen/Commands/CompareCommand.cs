using System.CommandLine;
using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Commands;

/// <summary><c>loadgen compare RUN_DIR... [-o FILE]</c>: 2 to 10 runs of one call kind on one page.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var runFolders = new Argument<string[]>("run-dirs") { Description = "2 to 10 run folders; the first is the baseline.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--output", "-o") { Description = "The page to write; default reports/compare-TIME.html." };
        var command = new Command("compare", "Compare 2 to 10 runs: overlaid charts, key figures against the first run, set-up differences.") { runFolders, output };
        command.SetAction(parse =>
        {
            var folders = parse.GetValue(runFolders) ?? [];
            string path;
            try
            {
                var runs = RunFolders.ReadComparable(folders);
                path = parse.GetValue(output) ?? Path.Combine("reports", $"compare-{OutputFolder.Stamp(DateTimeOffset.Now)}.html");
                ComparePage.Write(path, runs);
                IndexPage.Write(RunReportWriter.ParentOf(folders[0]));
            }
            catch (ReportException e)
            {
                return Cli.Fail(e.Message);
            }

            System.Console.Out.WriteLine($"comparison: {path}");
            return 0;
        });
        return command;
    }
}

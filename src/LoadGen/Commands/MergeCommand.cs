using System.CommandLine;
using GrpcLoadLab.LoadGen.Merging;
using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Runner;

namespace GrpcLoadLab.LoadGen.Commands;

/// <summary>
/// <c>loadgen merge RUN... [-o DIR]</c>: the results of agents 1 to N of one run (<c>loadgen run --agent K/N</c>) made
/// into one run folder, like one <c>loadgen run</c> writes: result.json, its pages, the index beside it. The exit code
/// is a run's, judged on the merged run.
/// </summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var runs = new Argument<string[]>("runs") { Description = "Every agent's run folder (or its result.json), agents 1 to N of one run, in any order.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--output", "-o") { Description = "The merged run's folder (new, or empty); default: a new TIME-NAME-merged folder beside the first agent's." };
        var command = new Command("merge", "Merge the results of agents 1 to N into one run: histograms added, timelines aligned, thresholds judged on the whole.") { runs, output };
        command.SetAction(parse => Merge(parse.GetValue(runs) ?? [], parse.GetValue(output)));
        return command;
    }

    private static int Merge(IReadOnlyList<string> paths, string? output)
    {
        RunResult result;
        string folder;
        try
        {
            var agents = AgentResults.Read(paths);
            result = RunMerger.Merge(agents);
            folder = output ?? OutputFolder.CreateNew(RunReportWriter.ParentOf(Path.GetDirectoryName(Path.GetFullPath(agents[0].Source))!), result.StartedAt, $"{result.Name}-merged");
            if (output is not null)
            {
                PrepareOutput(output);
            }
        }
        catch (MergeException e)
        {
            return Cli.Fail(e.Message);
        }

        var path = Path.Combine(folder, ResultJson.FileName);
        WholeFile.WriteJson(path, result, ResultJson.Options);
        var stdout = System.Console.Out;
        stdout.Write(SummaryText.Render(result, path));
        RunReportWriter.Write(result, folder);
        stdout.WriteLine($"report: {Path.Combine(folder, RunReportWriter.ReportFile)}");
        stdout.WriteLine($"all runs: {Path.Combine(RunReportWriter.ParentOf(folder), IndexPage.FileName)}");
        return ExitCodes.Of(result, interrupted: false);
    }

    /// <summary>-o names the merged run's own folder: a new one, or an empty one (a volume made for it), never another run's.</summary>
    private static void PrepareOutput(string output)
    {
        if (OutputFolder.Problem(output) is { } problem)
        {
            throw new MergeException($"-o: the folder {problem}: give a folder that can be written");
        }

        if (File.Exists(Path.Combine(output, ResultJson.FileName)))
        {
            throw new MergeException($"-o: {output} already holds a run's {ResultJson.FileName}: give a new or empty folder");
        }

        Directory.CreateDirectory(output);
    }
}

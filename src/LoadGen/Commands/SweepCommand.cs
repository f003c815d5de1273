using System.CommandLine;
using System.Globalization;
using GrpcLoadLab.LoadGen.Fleet;
using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Runner;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Study;
using GrpcLoadLab.LoadGen.Sweeps;

namespace GrpcLoadLab.LoadGen.Commands;

/// <summary>
/// <c>loadgen sweep SWEEP.json</c>: runs a grid of experiments, each on a fleet the fleet script starts for it, and
/// writes the study report.
/// </summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var sweepFile = new Argument<string>("sweep") { Description = "The sweep file (JSON), e.g. scenarios/sweeps/demo.json." };
        var fleetScript = new Option<string>("--fleet-script")
        {
            Description = "The fleet script that starts and stops the servers.",
            DefaultValueFactory = _ => Path.Combine("scripts", "servers.sh"),
        };
        var labFolder = new Option<string>("--lab-dir")
        {
            Description = "Where the sweep's fleet keeps its registry, PIDs and logs (apart from a fleet started by hand in .lab).",
            DefaultValueFactory = _ => Path.Combine(".lab", "sweep"),
        };
        var reportsFolder = new Option<string>("--reports")
        {
            Description = "Folder for the runs, the sweep's folder and the index.",
            DefaultValueFactory = _ => "reports",
        };

        var junit = new Option<string?>("--junit")
        {
            Description = "Also write every cell's verdict (its validity) as JUnit XML to this file, one testsuite per cell, for CI (its folder must exist).",
        };

        var command = new Command("sweep", "Run a grid of experiments (instances × load × policy × work profile) and write the study report.")
        {
            sweepFile, fleetScript, labFolder, reportsFolder, junit,
        };
        command.SetAction(async (parse, cancellationToken) => await RunAsync(
            parse.GetValue(sweepFile)!,
            parse.GetValue(fleetScript)!,
            parse.GetValue(labFolder)!,
            parse.GetValue(reportsFolder)!,
            parse.GetValue(junit),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string sweepFile, string fleetScript, string labFolder, string reportsFolder, string? junitFile, CancellationToken interrupt)
    {
        if (junitFile is not null && JUnitReport.PathProblem(junitFile) is { } junitProblem)
        {
            return Cli.Fail(junitProblem);
        }

        SweepPlan plan;
        FleetScript fleet;
        try
        {
            plan = SweepLoader.Load(sweepFile);
            fleet = new FleetScript(fleetScript, labFolder);
        }
        catch (Exception e) when (e is ScenarioException or FleetException)
        {
            return Cli.Fail(e.Message);
        }

        // Before any fleet starts: runs measured into a folder that cannot hold them would be lost.
        if (OutputFolder.Problem(reportsFolder) is { } problem)
        {
            return Cli.Fail($"--reports: the folder {problem}: give a folder that can be written");
        }

        var output = System.Console.Out;
        var outcome = await new SweepRunner(plan, fleet, reportsFolder, output, cell => Show(plan, cell, output)).ExecuteAsync(interrupt);
        var sweepFolder = Path.GetDirectoryName(outcome.SweepPath)!;
        var analysis = StudyReportWriter.Analyse(sweepFolder);
        var study = StudyReportWriter.Write(analysis, sweepFolder);
        foreach (var verdict in StudyVerdict.Of(analysis))
        {
            output.WriteLine($"verdict: {verdict}");
        }

        output.WriteLine($"study: {study}");
        output.WriteLine($"all runs: {Path.Combine(reportsFolder, IndexPage.FileName)}");
        if (junitFile is not null)
        {
            try
            {
                JUnitReport.WriteForSweep(outcome.Result, StudyReportWriter.CellReader(sweepFolder), junitFile);
                output.WriteLine($"junit: {junitFile}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                System.Console.Error.WriteLine($"loadgen: the sweep is kept in {outcome.SweepPath}, but the JUnit file {junitFile} could not be written ({e.Message})");
                return outcome.ExitCode == ExitCodes.Passed ? ExitCodes.Failed : outcome.ExitCode;
            }
        }

        return outcome.ExitCode;
    }

    /// <summary>A finished cell: its pages (linked to the study to come), then one line of its figures.</summary>
    private static void Show(SweepPlan plan, FinishedCell finished, TextWriter output)
    {
        RunReportWriter.WriteRunFiles(finished.Run, finished.RunFolder, finished.SweepFolder);
        var cell = finished.Cell;
        var width = plan.Cells.Count.ToString(CultureInfo.InvariantCulture).Length;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"[{(cell.Index + 1).ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{plan.Cells.Count}] {cell.Profile.Name}{(plan.Policies.Count > 1 ? ", " + Spellings.Policy.Name(cell.Policy) : "")}, {cell.Instances} inst, {cell.LoadText}: {Outcome(finished)}"));
    }

    /// <summary>
    /// The cell's figures, flagged by its run's own verdict (its first reason, when invalid); or, for a run that measured
    /// nothing, that and why, rather than figures of zero that the study leaves out.
    /// </summary>
    private static string Outcome(FinishedCell finished)
    {
        var run = finished.Run;
        var partial = run.Partial ? $" {VerdictWords.Partial}" : "";
        if (run.Totals.Calls.Ended == 0)
        {
            return $"measured nothing{partial}{(run.PartialReason is { } why ? $" ({why})" : "")}: left out of the study";
        }

        var figures = CellFigures.Of(finished.Result, run);
        var invalid = figures.Valid ? "" : $" {VerdictWords.Invalid} ({(run.Verdict.InvalidReasons is [var reason, ..] ? reason : VerdictWords.GeneratorBehind)})";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{NumberText.Rate(figures.Throughput)} calls/s, mean {NumberText.Millis(figures.MeanLatencyMs)} ms, p99 {NumberText.Millis(figures.P99Ms)} ms, errors {NumberText.Percent(figures.ErrorRate, 1)}{partial}{invalid}");
    }
}

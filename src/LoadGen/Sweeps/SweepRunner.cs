using System.Globalization;
using GrpcLoadLab.Balancer;
using GrpcLoadLab.LoadGen.Fleet;
using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Runner;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Study;
using GrpcLoadLab.LoadGen.Terminal;

namespace GrpcLoadLab.LoadGen.Sweeps;

/// <summary>
/// Runs a sweep's cells in order: (re)starts the fleet through the fleet script when a cell needs another one, runs
/// the cell as a normal run (its own folder, <c>result.json</c> and <c>report.html</c>), and rewrites
/// <c>sweep.json</c> after each cell, so that an interrupted sweep keeps every cell it finished. The fleet is stopped
/// at the end whatever happened.
/// </summary>
public sealed class SweepRunner(SweepPlan plan, FleetScript fleet, string reportsFolder, TextWriter output)
{
    /// <summary>Runs the sweep; <paramref name="interrupt"/> (Ctrl-C) ends the cell running (written as partial) and the sweep.</summary>
    public async Task<SweepOutcome> ExecuteAsync(CancellationToken interrupt)
    {
        var startedAt = DateTimeOffset.Now;
        var folder = CreateFolder(startedAt);
        var cells = new List<SweepCellResult>();
        string? partialReason = null;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"sweep {plan.Spec.Name}: {plan.Cells.Count} runs of {(plan.Spec.Warmup + plan.Spec.Duration).TotalSeconds:0.#}s (about {plan.LoadTime.TotalMinutes:0.#} min of load, plus fleet starts); fleet log: {fleet.Log}"));
        try
        {
            foreach (var cell in plan.Cells)
            {
                if (interrupt.IsCancellationRequested)
                {
                    break;
                }

                // A fleet that fails to start ends the sweep, so the cell before always ran on the fleet it needed.
                var freshFleet = plan.StartsFleet(cell);
                if (freshFleet)
                {
                    var settings = cell.Fleet(plan.Spec.BasePort);
                    output.WriteLine($"fleet: starting {settings} (profile {cell.Profile.Name})");
                    await fleet.StartAsync(settings);
                    if (interrupt.IsCancellationRequested)
                    {
                        // Interrupted while the fleet started (the script's start cannot be cut short): no cell runs.
                        break;
                    }
                }

                var scenario = plan.ScenarioFor(cell, fleet.Registry, reportsFolder, freshFleet);
                var outcome = await new LoadRun(scenario, NoProgressDisplay.Instance).ExecuteAsync(interrupt);
                var runFolder = Path.GetDirectoryName(outcome.ResultPath)!;
                RunReports.WriteRunFiles(outcome.Result, runFolder, folder);
                var result = new SweepCellResult(cell.Profile.Name, Spellings.Policy.Name(cell.Policy), cell.Instances, cell.OpenModel, cell.Load, Path.GetFileName(runFolder), outcome.ExitCode, freshFleet);
                cells.Add(result);
                output.WriteLine(Describe(cells.Count, cell, CellFigures.Of(result, outcome.Result)));
                SweepJson.Write(Result(startedAt, cells, "the sweep is still running"), folder);
            }
        }
        catch (RunInterruptedException)
        {
            // A cell interrupted before its load started measured nothing: the cells before it are the sweep.
        }
        catch (Exception e) when (e is FleetException or LoadRunException or BalancerConfigurationException or Dynamic.DynamicCallException)
        {
            partialReason = e.Message;
            output.WriteLine($"sweep stopped: {e.Message}");
        }
        finally
        {
            if (interrupt.IsCancellationRequested)
            {
                partialReason ??= "interrupted";
            }

            // Written before the fleet stops, which may take seconds: a second signal then loses no cell.
            SweepJson.Write(Result(startedAt, cells, partialReason), folder);
            output.WriteLine("fleet: stopping");
            await fleet.StopAsync();
        }

        var sweep = Result(startedAt, cells, partialReason);
        var path = SweepJson.Write(sweep, folder);
        return new SweepOutcome(sweep, path, interrupt.IsCancellationRequested ? ExitCodes.Interrupted : partialReason is null ? ExitCodes.Passed : ExitCodes.Failed);
    }

    private SweepResult Result(DateTimeOffset startedAt, IReadOnlyList<SweepCellResult> cells, string? partialReason) => new(
        SweepResult.SchemaName,
        SweepResult.CurrentVersion,
        plan.Spec.Name,
        partialReason is not null,
        partialReason,
        startedAt,
        DateTimeOffset.Now,
        plan.Spec,
        Environment.ProcessorCount,
        [.. cells]);

    private string CreateFolder(DateTimeOffset startedAt)
    {
        var folder = Path.Combine(reportsFolder, $"{startedAt.ToLocalTime():yyyyMMdd-HHmmss}-sweep-{plan.Spec.Name}");
        for (var suffix = 2; Directory.Exists(folder); suffix++)
        {
            folder = Path.Combine(reportsFolder, $"{startedAt.ToLocalTime():yyyyMMdd-HHmmss}-sweep-{plan.Spec.Name}-{suffix}");
        }

        Directory.CreateDirectory(folder);
        return folder;
    }

    private string Describe(int done, SweepCell cell, CellFigures figures)
    {
        var width = plan.Cells.Count.ToString(CultureInfo.InvariantCulture).Length;
        var flags = (figures.Partial ? " PARTIAL" : "") + (figures.Valid ? "" : " INVALID (the generator could not keep up)");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"[{done.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{plan.Cells.Count}] {cell.Profile.Name}{(plan.Policies.Count > 1 ? ", " + Spellings.Policy.Name(cell.Policy) : "")}, {cell.Instances} inst, {cell.LoadText}: {TerminalFormat.Rate(figures.Throughput)} calls/s, mean {TerminalFormat.Millis(figures.MeanLatencyMs)} ms, p99 {TerminalFormat.Millis(figures.P99Ms)} ms, errors {TerminalFormat.Percent(figures.ErrorRate, 1)}{flags}");
    }
}

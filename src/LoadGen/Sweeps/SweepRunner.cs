using System.Globalization;
using GrpcLoadLab.Balancer;
using GrpcLoadLab.LoadGen.Fleet;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Runner;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Terminal;

namespace GrpcLoadLab.LoadGen.Sweeps;

/// <summary>
/// Runs a sweep's cells in order: (re)starts the fleet through the fleet script when a cell needs another one, runs
/// the cell as a normal run (its own folder and <c>result.json</c>), hands it to <paramref name="cellFinished"/>, and
/// rewrites <c>sweep.json</c> after each cell, so that an interrupted sweep keeps every cell it finished. The fleet is
/// stopped at the end whatever happened. It measures and writes the files; showing them is its command's job, so
/// that the sweep knows no page.
/// </summary>
/// <param name="output">Where the sweep tells its own progress: the plan, the fleet's starts and stops.</param>
/// <param name="cellFinished">Called with each cell as soon as its <c>result.json</c> is written, before <c>sweep.json</c> names it.</param>
public sealed class SweepRunner(SweepPlan plan, FleetScript fleet, string reportsFolder, TextWriter output, Action<FinishedCell> cellFinished)
{
    /// <summary>Runs the sweep; <paramref name="interrupt"/> (Ctrl-C) ends the cell running (written as partial) and the sweep.</summary>
    public async Task<SweepOutcome> ExecuteAsync(CancellationToken interrupt)
    {
        var startedAt = DateTimeOffset.Now;
        var folder = OutputFolder.CreateNew(reportsFolder, startedAt, "sweep-" + plan.Spec.Name);
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
                    var settings = plan.Fleet(cell);
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
                var result = new SweepCellResult(cell.Profile.Name, Spellings.Policy.Name(cell.Policy), cell.Instances, cell.OpenModel, cell.Load, Path.GetFileName(runFolder), outcome.ExitCode, freshFleet);
                cellFinished(new FinishedCell(cell, result, outcome.Result, runFolder, folder));
                cells.Add(result);
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
}

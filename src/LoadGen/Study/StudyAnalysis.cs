using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Study;

/// <summary>
/// A sweep turned into its lessons: per work profile and policy, how throughput grew with instances (against linear
/// scaling) and with load on one instance, with Little's law checked on every cell and the USL fitted.
/// </summary>
/// <param name="MissingRuns">Cells whose run folder could not be read (moved or deleted), by folder name.</param>
/// <param name="UnmeasuredRuns">
/// Cells whose run measured nothing (no call ended in its measured phases: a sweep interrupted during the run's
/// warm-up, say), by folder name. Such a run is no reading of zero calls a second, so it is left out of every figure.
/// </param>
public sealed record StudyAnalysis(SweepResult Sweep, IReadOnlyList<ProfileStudy> Profiles, IReadOnlyList<string> MissingRuns, IReadOnlyList<string> UnmeasuredRuns)
{
    /// <summary>The USL has three parameters: fewer points cannot determine it.</summary>
    public const int FewestFitPoints = 3;

    public bool SeveralPolicies => Profiles.Select(p => p.Policy).Distinct().Count() > 1;

    /// <param name="readRun">Reads a cell's run by its folder name; null when it cannot be read.</param>
    public static StudyAnalysis Of(SweepResult sweep, Func<string, RunResult?> readRun)
    {
        var missing = new List<string>();
        var unmeasured = new List<string>();
        var lost = new List<SweepCellResult>();
        var figures = new List<CellFigures>();
        foreach (var cell in sweep.Cells.Where(c => c.RunFolder is not null))
        {
            if (readRun(cell.RunFolder!) is not { } run)
            {
                missing.Add(cell.RunFolder!);
                lost.Add(cell);
            }
            else if (run.Totals.Calls.Ended == 0)
            {
                unmeasured.Add(cell.RunFolder!);
                lost.Add(cell);
            }
            else
            {
                figures.Add(CellFigures.Of(cell, run));
            }
        }

        var profiles = figures
            .GroupBy(f => (f.Cell.Profile, f.Cell.Policy))
            .Select(group => Profile(sweep, group.Key.Profile, group.Key.Policy, [.. group.OrderBy(f => f.Cell.Instances).ThenBy(f => f.Cell.Load)], lost))
            .ToList();
        return new StudyAnalysis(sweep, profiles, missing, unmeasured);
    }

    /// <param name="lost">The sweep's cells whose run could not be read or measured nothing.</param>
    private static ProfileStudy Profile(SweepResult sweep, string profile, string policy, IReadOnlyList<CellFigures> cells, IReadOnlyList<SweepCellResult> lost)
    {
        // A fleet not measured at every load the sweep plans for it may lack its best load: compared by its best, it
        // would seem to scale worse than it does. A sweep that ran to its end ran every cell it planned, so only one
        // that stopped part way through a fleet, or a lost run, leaves a fleet short.
        var partlyMeasured = cells.GroupBy(c => c.Cell.Instances)
            .Where(fleet => lost.Any(c => c.Profile == profile && c.Policy == policy && c.Instances == fleet.Key)
                || (sweep.Partial && sweep.Sweep.Loads(fleet.Key).Any(load => !fleet.Any(c => c.Cell.Load == load))))
            .Select(fleet => fleet.Key)
            .ToList();
        var scaling = Scaling([.. cells.Where(c => !partlyMeasured.Contains(c.Cell.Instances))]);
        var fewest = cells.Min(c => c.Cell.Instances);
        var curve = cells.Where(c => c.Cell.Instances == fewest).ToList();
        return new ProfileStudy(
            profile,
            policy,
            sweep.Sweep.Profiles?.FirstOrDefault(p => p.Name == profile),
            cells,
            scaling,
            partlyMeasured,
            curve,
            KneeRule.Find(curve),
            Fit(scaling.Select(s => new ScalingPoint(s.Instances, s.Throughput))),
            curve.Count > 0 && !curve[0].Cell.OpenModel ? Fit(curve.Select(c => new ScalingPoint(c.Cell.Load, c.Throughput))) : null);
    }

    private static List<ScalingStep> Scaling(IReadOnlyList<CellFigures> cells)
    {
        var best = cells.GroupBy(c => c.Cell.Instances).Select(g => g.MaxBy(c => c.Throughput)!).OrderBy(c => c.Cell.Instances).ToList();
        if (best.Count == 0)
        {
            // Every fleet was measured only in part.
            return [];
        }

        var baseline = best[0];
        return [.. best.Select(c =>
        {
            var speedup = baseline.Throughput > 0 ? c.Throughput / baseline.Throughput : 0;
            var ideal = (double)c.Cell.Instances / baseline.Cell.Instances;
            return new ScalingStep(c.Cell.Instances, c.Throughput, speedup, speedup / ideal, c);
        })];
    }

    // The USL needs 3 distinct loads with some throughput; a sweep with fewer gets no fit, and the report says why.
    private static UslModel? Fit(IEnumerable<ScalingPoint> points)
    {
        var usable = points.Where(p => p.Throughput > 0).ToList();
        return usable.Select(p => p.Load).Distinct().Count() >= FewestFitPoints ? UslFit.Fit(usable) : null;
    }
}

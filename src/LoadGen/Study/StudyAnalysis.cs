using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Study;

/// <summary>
/// A sweep turned into its lessons: per work profile and policy, how throughput grew with instances (against linear
/// scaling) and with load on one instance, with Little's law checked on every cell and the USL fitted.
/// </summary>
/// <param name="MissingRuns">Cells whose run folder could not be read (moved or deleted), by folder name.</param>
public sealed record StudyAnalysis(SweepResult Sweep, IReadOnlyList<ProfileStudy> Profiles, IReadOnlyList<string> MissingRuns)
{
    /// <summary>The USL has three parameters: fewer points cannot determine it.</summary>
    public const int FewestFitPoints = 3;

    public bool SeveralPolicies => Profiles.Select(p => p.Policy).Distinct().Count() > 1;

    /// <param name="readRun">Reads a cell's run by its folder name; null when it cannot be read.</param>
    public static StudyAnalysis Of(SweepResult sweep, Func<string, RunResult?> readRun)
    {
        var missing = new List<string>();
        var figures = new List<CellFigures>();
        foreach (var cell in sweep.Cells.Where(c => c.RunFolder is not null))
        {
            if (readRun(cell.RunFolder!) is { } run)
            {
                figures.Add(CellFigures.Of(cell, run));
            }
            else
            {
                missing.Add(cell.RunFolder!);
            }
        }

        var profiles = figures
            .GroupBy(f => (f.Cell.Profile, f.Cell.Policy))
            .Select(group => Profile(sweep, group.Key.Profile, group.Key.Policy, [.. group.OrderBy(f => f.Cell.Instances).ThenBy(f => f.Cell.Load)]))
            .ToList();
        return new StudyAnalysis(sweep, profiles, missing);
    }

    private static ProfileStudy Profile(SweepResult sweep, string profile, string policy, IReadOnlyList<CellFigures> cells)
    {
        var scaling = Scaling(cells);
        var fewest = cells.Min(c => c.Cell.Instances);
        var curve = cells.Where(c => c.Cell.Instances == fewest).ToList();
        return new ProfileStudy(
            profile,
            policy,
            sweep.Sweep.Profiles?.FirstOrDefault(p => p.Name == profile),
            cells,
            scaling,
            curve,
            KneeRule.Find(curve),
            Fit(scaling.Select(s => new ScalingPoint(s.Instances, s.Throughput))),
            curve.Count > 0 && !curve[0].Cell.OpenModel ? Fit(curve.Select(c => new ScalingPoint(c.Cell.Load, c.Throughput))) : null);
    }

    private static List<ScalingStep> Scaling(IReadOnlyList<CellFigures> cells)
    {
        var best = cells.GroupBy(c => c.Cell.Instances).Select(g => g.MaxBy(c => c.Throughput)!).OrderBy(c => c.Cell.Instances).ToList();
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

using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Study;

/// <summary>
/// What one work profile under one balancing policy showed: its cells, its scaling over instance counts, its curve
/// over load on the fewest instances, and the Universal Scalability Law fitted to each where there are enough points.
/// </summary>
/// <param name="Work">The profile as the sweep gave it (null when the sweep named no profiles).</param>
/// <param name="Cells">Every cell, by instances then load.</param>
/// <param name="Scaling">One step per instance count measured at every load, fewest first.</param>
/// <param name="PartlyMeasuredFleets">
/// The instance counts not measured at every load the sweep planned for them (it stopped part way, or a run was lost),
/// left out of <paramref name="Scaling"/>: their best load may be among those missing.
/// </param>
/// <param name="LoadCurve">The cells on the fewest instances, by load: where concurrency (or rate) stops helping.</param>
/// <param name="Knee">
/// The step of <paramref name="LoadCurve"/> past its knee (<see cref="KneeRule"/>); null while throughput still rose
/// faster than latency at the highest load tried.
/// </param>
/// <param name="ScalingFit">The USL over instance counts; null with fewer than 3 instance counts.</param>
/// <param name="LoadFit">The USL over concurrency on the fewest instances (closed model); null otherwise or with fewer than 3 levels.</param>
public sealed record ProfileStudy(
    string Profile,
    string Policy,
    WorkProfile? Work,
    IReadOnlyList<CellFigures> Cells,
    IReadOnlyList<ScalingStep> Scaling,
    IReadOnlyList<int> PartlyMeasuredFleets,
    IReadOnlyList<CellFigures> LoadCurve,
    KneeStep? Knee,
    UslModel? ScalingFit,
    UslModel? LoadFit)
{
    public bool OpenModel => Cells.Count > 0 && Cells[0].Cell.OpenModel;

    /// <summary>
    /// The first runs on a fresh fleet that had their fleet's highest p99 below its highest load: a cold start that the
    /// fleet's warm-up did not cover (more load normally costs latency, not less), to be flagged rather than read as load.
    /// </summary>
    public IReadOnlyList<CellFigures> ColdStarts =>
    [
        .. Cells.GroupBy(c => c.Cell.Instances).SelectMany(fleet => fleet.Where(c =>
            c.Cell.FreshFleet && c.Cell.Load < fleet.Max(f => f.Cell.Load) && c.P99Ms >= fleet.Max(f => f.P99Ms))),
    ];

    /// <summary>What <paramref name="instances"/> instances of this profile can serve at most, from its work alone; null for the scenario's own work.</summary>
    public WorkBound? Bound(int instances, int cores) => WorkBound.Of(Work, instances, cores);

    /// <summary>The series' name in charts: the profile, and the policy when the study has several.</summary>
    public string Label(bool withPolicy) => withPolicy ? $"{Profile} ({Policy})" : Profile;
}

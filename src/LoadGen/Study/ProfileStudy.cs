using GrpcLoadLab.LoadGen.Sweeps;

namespace GrpcLoadLab.LoadGen.Study;

/// <summary>
/// What one work profile under one balancing policy showed: its cells, its scaling over instance counts, its curve
/// over load on the fewest instances, and the Universal Scalability Law fitted to each where there are enough points.
/// </summary>
/// <param name="Work">The profile as the sweep gave it (null when the sweep named no profiles).</param>
/// <param name="Cells">Every cell, by instances then load.</param>
/// <param name="Scaling">One step per instance count, fewest first.</param>
/// <param name="LoadCurve">The cells on the fewest instances, by load: where concurrency (or rate) stops helping.</param>
/// <param name="Knee">The lowest load of <paramref name="LoadCurve"/> that reached 95% of its best throughput.</param>
/// <param name="ScalingFit">The USL over instance counts; null with fewer than 3 instance counts.</param>
/// <param name="LoadFit">The USL over concurrency on the fewest instances (closed model); null otherwise or with fewer than 3 levels.</param>
public sealed record ProfileStudy(
    string Profile,
    string Policy,
    WorkProfile? Work,
    IReadOnlyList<CellFigures> Cells,
    IReadOnlyList<ScalingStep> Scaling,
    IReadOnlyList<CellFigures> LoadCurve,
    CellFigures? Knee,
    UslModel? ScalingFit,
    UslModel? LoadFit)
{
    public bool OpenModel => Cells.Count > 0 && Cells[0].Cell.OpenModel;

    /// <summary>The series' name in charts: the profile, and the policy when the study has several.</summary>
    public string Label(bool withPolicy) => withPolicy ? $"{Profile} ({Policy})" : Profile;
}

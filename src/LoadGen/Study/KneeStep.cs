namespace GrpcLoadLab.LoadGen.Study;

/// <summary>
/// One step of a load curve, from one load to the next: how much throughput it gained and how much mean latency grew,
/// each as a share of the step's start (+0.5 = half as much again).
/// </summary>
public sealed record KneeStep(CellFigures Before, CellFigures After, double ThroughputGain, double LatencyGrowth)
{
    /// <summary>The step from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static KneeStep Between(CellFigures before, CellFigures after) =>
        new(before, after, Growth(before.Throughput, after.Throughput), Growth(before.MeanLatencyMs, after.MeanLatencyMs));

    /// <summary>
    /// True when latency grew more than throughput: the step's extra calls mostly waited. With the calls in flight L
    /// set by the load, Little's law (X = L/W) splits each step's growth of L between X and W; past this point W takes
    /// the larger part.
    /// </summary>
    public bool MostlyWaited => LatencyGrowth > ThroughputGain;

    private static double Growth(double from, double to) => from > 0 ? (to / from) - 1 : to > 0 ? double.PositiveInfinity : 0;
}

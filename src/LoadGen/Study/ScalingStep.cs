namespace GrpcLoadLab.LoadGen.Study;

/// <summary>
/// One instance count of a scaling series: the highest throughput any load reached on it (its capacity as measured),
/// against the smallest instance count's.
/// </summary>
/// <param name="Speedup">X(N) / X(N₀), N₀ the smallest instance count (1 in the ready sweeps).</param>
/// <param name="Efficiency">X(N) / ((N/N₀) · X(N₀)): 1 is perfectly linear scaling.</param>
/// <param name="Best">The cell that reached <paramref name="Throughput"/>.</param>
public sealed record ScalingStep(int Instances, double Throughput, double Speedup, double Efficiency, CellFigures Best)
{
    /// <summary>Cores busy in the best cell (see <see cref="CellFigures.BusyCores"/>).</summary>
    public double? BusyCores => Best.BusyCores;
}

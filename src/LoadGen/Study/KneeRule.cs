namespace GrpcLoadLab.LoadGen.Study;

/// <summary>
/// The knee of a load curve, by one explicit rule: walk the curve from the lowest load, and the knee is the load before
/// the first step whose mean latency grew more than its throughput (<see cref="KneeStep.MostlyWaited"/>). Before it,
/// more load mostly bought throughput; from it on, more load mostly bought waiting. A curve with no such step was
/// still rising at the highest load tried and has no knee.
/// </summary>
public static class KneeRule
{
    /// <summary>The step that crossed the knee (its <see cref="KneeStep.Before"/> is the knee); null while the curve still rose.</summary>
    public static KneeStep? Find(IReadOnlyList<CellFigures> curve)
    {
        for (var i = 1; i < curve.Count; i++)
        {
            var step = KneeStep.Between(curve[i - 1], curve[i]);
            if (step.MostlyWaited)
            {
                return step;
            }
        }

        return null;
    }
}

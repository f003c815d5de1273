namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>Open model: Poisson arrivals (exponential gaps) at a mean of <see cref="SteadyRatePhase.Rate"/> calls a second.</summary>
public sealed record PoissonPhase(double Rate, TimeSpan Duration) : SteadyRatePhase(Rate, Duration)
{
    public override string Load => $"Poisson {Rate:0.##}/s";

    /// <summary>Exponential gaps of mean 1 / rate, from the run's seeded random source (a run can be repeated exactly).</summary>
    public override IEnumerable<double> Arrivals(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var seconds = Duration.TotalSeconds;
        var due = 0.0;
        while (true)
        {
            // 1 − U lies in (0, 1]: the logarithm is finite.
            due += -Math.Log(1 - random.NextDouble()) / Rate;
            if (due >= seconds)
            {
                yield break;
            }

            yield return due;
        }
    }
}

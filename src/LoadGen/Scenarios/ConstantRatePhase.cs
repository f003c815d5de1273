namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>Open model: <see cref="SteadyRatePhase.Rate"/> calls a second, evenly spaced.</summary>
public sealed record ConstantRatePhase(double Rate, TimeSpan Duration) : SteadyRatePhase(Rate, Duration)
{
    public override string Load => $"{Rate:0.##}/s";

    /// <summary>Evenly spaced: call n is due at n / rate.</summary>
    public override IEnumerable<double> Arrivals(Random random)
    {
        var seconds = Duration.TotalSeconds;
        for (long n = 0; ; n++)
        {
            var due = n / Rate;
            if (due >= seconds)
            {
                yield break;
            }

            yield return due;
        }
    }
}

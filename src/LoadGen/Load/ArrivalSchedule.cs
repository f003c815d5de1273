using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Load;

/// <summary>
/// When each call of an open-model phase is due, in seconds from the phase's start. Computed from the plan alone,
/// never from how the servers answer: that is what keeps coordinated omission out of the measurement.
/// </summary>
internal static class ArrivalSchedule
{
    public static IEnumerable<double> For(LoadPhase phase, Random random) => phase switch
    {
        ConstantRatePhase p => Constant(p.Rate, p.Duration.TotalSeconds),
        RampRatePhase p => Ramp(p.From, p.To, p.Duration.TotalSeconds),
        PoissonPhase p => Poisson(p.Rate, p.Duration.TotalSeconds, random),
        _ => throw new ArgumentException($"{phase.GetType().Name} is not an open-model phase", nameof(phase)),
    };

    /// <summary>Evenly spaced: call n is due at n / rate.</summary>
    public static IEnumerable<double> Constant(double rate, double seconds)
    {
        for (long n = 0; ; n++)
        {
            var due = n / rate;
            if (due >= seconds)
            {
                yield break;
            }

            yield return due;
        }
    }

    /// <summary>
    /// The rate goes linearly from <paramref name="from"/> to <paramref name="to"/>: call n is due when the calls
    /// expected so far, from·t + (to − from)·t² / 2T, reach n.
    /// </summary>
    public static IEnumerable<double> Ramp(double from, double to, double seconds)
    {
        var halfSlope = (to - from) / (2 * seconds);
        for (long n = 0; ; n++)
        {
            double due;
            if (Math.Abs(halfSlope) < 1e-12)
            {
                due = n / from;
            }
            else
            {
                var discriminant = (from * from) + (4 * halfSlope * n);
                if (discriminant < 0)
                {
                    yield break;
                }

                due = (-from + Math.Sqrt(discriminant)) / (2 * halfSlope);
            }

            if (due >= seconds || double.IsNaN(due))
            {
                yield break;
            }

            yield return due;
        }
    }

    /// <summary>Poisson arrivals: exponential gaps of mean 1 / rate, from a seeded random source.</summary>
    public static IEnumerable<double> Poisson(double rate, double seconds, Random random)
    {
        var due = 0.0;
        while (true)
        {
            // 1 − U lies in (0, 1]: the logarithm is finite.
            due += -Math.Log(1 - random.NextDouble()) / rate;
            if (due >= seconds)
            {
                yield break;
            }

            yield return due;
        }
    }
}

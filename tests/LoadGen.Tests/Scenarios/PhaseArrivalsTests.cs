using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Tests.Scenarios;

/// <summary>When each call of an open-model phase is due: from the plan alone, never from the servers.</summary>
public class PhaseArrivalsTests
{
    private static readonly Random Unused = new(0);

    [Fact]
    public void A_constant_rate_spaces_calls_exactly_one_interval_apart()
    {
        var due = new ConstantRatePhase(250, TimeSpan.FromSeconds(2)).Arrivals(Unused).ToList();

        Assert.Equal(500, due.Count);
        for (var n = 0; n < due.Count; n++)
        {
            Assert.Equal(n / 250.0, due[n], precision: 12);
        }
    }

    [Fact]
    public void A_ramp_starts_the_integral_of_its_rate_and_speeds_up_linearly()
    {
        var due = new RampRatePhase(100, 300, TimeSpan.FromSeconds(10)).Arrivals(Unused).ToList();

        // (100 + 300) / 2 calls a second for 10 seconds.
        Assert.InRange(due.Count, 1999, 2001);
        Assert.Equal(due.Order(), due);
        // The rate at time t is 100 + 20 t: the gaps around 2 s and 8 s are 1/140 s and 1/260 s.
        Assert.Equal(1 / 140.0, GapNear(due, 2), precision: 4);
        Assert.Equal(1 / 260.0, GapNear(due, 8), precision: 4);
    }

    [Fact]
    public void A_ramp_down_ends_where_its_calls_run_out()
    {
        var due = new RampRatePhase(300, 0, TimeSpan.FromSeconds(10)).Arrivals(Unused).ToList();

        Assert.InRange(due.Count, 1499, 1501);
        Assert.All(due, d => Assert.InRange(d, 0, 10));
    }

    [Fact]
    public void Poisson_arrivals_have_the_right_mean_and_the_spread_of_an_exponential()
    {
        const double rate = 500;
        var due = new PoissonPhase(rate, TimeSpan.FromSeconds(60)).Arrivals(new Random(42)).ToList();
        var gaps = due.Zip(due.Skip(1), (a, b) => b - a).ToList();
        var mean = gaps.Average();
        var deviation = Math.Sqrt(gaps.Sum(g => (g - mean) * (g - mean)) / gaps.Count);

        // 30,000 arrivals: the count, the mean gap and its standard deviation (= the mean, for an exponential) within 3%.
        Assert.InRange(due.Count, rate * 60 * 0.97, rate * 60 * 1.03);
        Assert.InRange(mean, 1 / rate * 0.97, 1 / rate * 1.03);
        Assert.InRange(deviation / mean, 0.97, 1.03);
        // Memoryless: about e^-1 of the gaps are longer than the mean.
        Assert.InRange(gaps.Count(g => g > 1 / rate) / (double)gaps.Count, 0.35, 0.385);
    }

    [Fact]
    public void The_same_seed_gives_the_same_arrivals() =>
        Assert.Equal(
            new PoissonPhase(100, TimeSpan.FromSeconds(5)).Arrivals(new Random(7)),
            new PoissonPhase(100, TimeSpan.FromSeconds(5)).Arrivals(new Random(7)));

    private static double GapNear(List<double> due, double second)
    {
        var index = due.FindIndex(d => d >= second);
        return due[index + 1] - due[index];
    }
}

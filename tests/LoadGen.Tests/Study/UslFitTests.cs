using GrpcLoadLab.LoadGen.Study;

namespace GrpcLoadLab.LoadGen.Tests.Study;

public class UslFitTests
{
    [Fact]
    public void Gunther_s_SPEC_SDM91_benchmark_gives_the_published_fit()
    {
        // Gunther, "Guerrilla Capacity Planning", and R's usl package (data set specsdm91).
        double[] loads = [1, 18, 36, 72, 108, 144, 216];
        double[] throughput = [64.9, 995.9, 1652.4, 1853.2, 1828.9, 1775.0, 1702.2];

        var model = UslFit.Fit(Points(loads, throughput));

        AssertClose(0.0277285, model.Sigma, 5e-6);
        AssertClose(89.9952330, model.Lambda, 1e-7);
        // The published κ, 0.0001044, has only 4 significant digits: assert it to half a unit of its last digit,
        // and to 5e-5 against the κ that the published σ and peak (7 digits) imply, (1 − σ) / N*².
        Assert.InRange(model.Kappa, 0.0001044 - 5e-8, 0.0001044 + 5e-8);
        AssertClose((1 - 0.0277285) / (96.51956 * 96.51956), model.Kappa, 5e-5);
        AssertClose(96.51956, model.PeakInstances!.Value, 1e-6);
        AssertClose(3245.589, model.AmdahlCeiling!.Value, 1e-6);
        AssertClose(82.85, model.ResidualStandardError!.Value, 1e-3);
        Assert.Equal(model.Throughput(model.PeakInstances.Value), model.PeakThroughput);
        Assert.Equal(7, model.Points);
        // R² = 1 − SSE/SST, with SSE = RSE² on 4 degrees of freedom.
        var mean = throughput.Average();
        var sst = throughput.Sum(x => (x - mean) * (x - mean));
        var rse = model.ResidualStandardError.Value;
        Assert.Equal(1 - 4 * rse * rse / sst, model.RSquared, precision: 12);
        Assert.InRange(model.RSquared, 0.989, 0.990);
    }

    [Fact]
    public void Throughput_computed_from_sigma_and_kappa_of_two_percent_gives_them_back()
    {
        var model = UslFit.Fit(Points([1, 2, 4, 6, 8, 10], [1, 1.8868, 3.0769, 3.5294, 3.5398, 3.3557]));

        AssertClose(0.02, model.Sigma, 5e-4);
        AssertClose(0.02, model.Kappa, 5e-4);
        AssertClose(1, model.Lambda, 5e-4);
        AssertClose(7, model.PeakInstances!.Value, 5e-4);
    }

    [Fact]
    public void Perfectly_linear_throughput_has_no_contention_no_coherency_and_no_peak()
    {
        var model = UslFit.Fit(Points([1, 2, 4, 8], [100, 200, 400, 800]));

        Assert.InRange(model.Sigma, 0, 1e-6);
        Assert.InRange(model.Kappa, 0, 1e-6);
        AssertClose(100, model.Lambda, 1e-12);
        Assert.Null(model.PeakInstances);
        Assert.Null(model.PeakThroughput);
        Assert.Equal(1, model.RSquared, precision: 12);
        Assert.Equal(0, model.ResidualStandardError!.Value, precision: 9);
    }

    [Fact]
    public void Amdahl_shaped_throughput_is_fitted_with_kappa_exactly_zero()
    {
        var amdahl = new UslModel(Sigma: 0.1, Kappa: 0, Lambda: 50);
        double[] loads = [1, 2, 4, 8, 16, 32, 64];

        var model = UslFit.Fit(Points(loads, [.. loads.Select(amdahl.Throughput)]));

        AssertClose(0.1, model.Sigma, 1e-9);
        Assert.Equal(0, model.Kappa);
        AssertClose(50, model.Lambda, 1e-9);
        Assert.Null(model.PeakInstances);
        AssertClose(500, model.AmdahlCeiling!.Value, 1e-9);
    }

    [Fact]
    public void Kappa_stays_at_zero_when_the_unconstrained_optimum_would_make_it_negative()
    {
        // Amdahl's curve with the top point 3% high: bending up again would need κ < 0.
        var amdahl = new UslModel(Sigma: 0.1, Kappa: 0, Lambda: 50);
        double[] loads = [1, 2, 4, 8, 16, 32, 64];
        double[] throughput = [.. loads.Select(amdahl.Throughput)];
        throughput[^1] *= 1.03;

        var model = UslFit.Fit(Points(loads, throughput));

        Assert.Equal(0, model.Kappa);
        Assert.InRange(model.Sigma, 0.09, 0.1);
        Assert.Null(model.PeakInstances);
    }

    [Theory]
    [InlineData(new double[] { 1, 2 }, new double[] { 10, 20 }, "at least 3 distinct loads")]
    [InlineData(new double[] { 1, 2, 4 }, new double[] { 10, 0, 40 }, "above zero")]
    [InlineData(new double[] { 4, 4, 4, 4 }, new double[] { 10, 11, 12, 13 }, "at least 3 distinct loads")]
    [InlineData(new double[] { 0.5, 1, 2 }, new double[] { 10, 20, 40 }, "at least 1")]
    public void Data_that_cannot_carry_a_fit_are_refused_with_a_one_line_reason(double[] loads, double[] throughput, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => UslFit.Fit(Points(loads, throughput)));

        Assert.Contains(reason, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain("Parameter", error.Message);
    }

    private static ScalingPoint[] Points(double[] loads, double[] throughput) =>
        [.. loads.Zip(throughput, (n, x) => new ScalingPoint(n, x))];

    private static void AssertClose(double expected, double actual, double relative) =>
        Assert.InRange(actual, expected - Math.Abs(expected) * relative, expected + Math.Abs(expected) * relative);
}

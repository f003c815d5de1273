using GrpcLoadLab.LoadGen.Reports.Figures;

namespace GrpcLoadLab.LoadGen.Tests.Reports;

public class KeyFigureTests
{
    private static readonly KeyFigure P99 = new("p99", "p99", "ms", Better.Lower, _ => null);
    private static readonly KeyFigure Rate = new("rps", "calls/s", "", Better.Higher, _ => null);

    [Theory]
    [InlineData(100, 100, "same")]
    [InlineData(100, 100.9, "same")]
    [InlineData(100, 99.1, "same")]
    [InlineData(100, 102, "worse")]
    [InlineData(100, 98, "better")]
    [InlineData(0, 0, "same")]
    [InlineData(0, 1, "worse")]
    public void A_change_is_judged_by_the_figure_s_direction_and_noise_within_one_percent_is_the_same(double baseline, double value, string expected) =>
        Assert.Equal(expected, P99.Judge(baseline, value));

    [Fact]
    public void Higher_is_better_for_throughput()
    {
        Assert.Equal("better", Rate.Judge(1000, 1100));
        Assert.Equal("worse", Rate.Judge(1000, 900));
    }
}

using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Tests.Reports;

public class KeyFigureTests
{
    private static readonly KeyFigure P99 = KeyFigures.Get("p99");
    private static readonly KeyFigure Rate = KeyFigures.Get("callsPerSecond");

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

    [Theory]
    [InlineData("p99", 0.125, "0.13")]
    [InlineData("p99", 12.25, "12.3")]
    [InlineData("p99", 99.96, "100.0")]
    [InlineData("p99", 100.5, "101")]
    [InlineData("callsPerSecond", 379.75, "379.8")]
    [InlineData("failed", 1234567, "1,234,567")]
    [InlineData("errorRate", 1.5, "1.5%")]
    [InlineData("errorRate", 0.12345, "0.123%")]
    [InlineData("errorRate", 2, "2%")]
    public void Numbers_are_written_by_the_figure_s_format(string figure, double value, string written) =>
        Assert.Equal(written, KeyFigures.Get(figure).Format(value));

    [Theory]
    [InlineData("callsPerSecond", 100, 125, "+25.0 (+25%) ▲ better")]
    [InlineData("p99", 4, 1, "−3.0 (−75%) ▲ better")]
    [InlineData("p99", 10, 10.05, "+0.05 (+0.5%) = same")]
    [InlineData("failed", 0, 3, "+3 ▼ worse")]
    [InlineData("callsPerSecond", 100, 100, "±0.0 (±0%) = same")]
    public void A_change_is_written_signed_with_its_share_of_the_baseline_and_its_mark(string figure, double baseline, double value, string written) =>
        Assert.Equal(written, KeyFigures.Get(figure).Change(baseline, value));
}

using GrpcLoadLab.Common;

namespace GrpcLoadLab.Server.Tests.Unit;

public class DurationParserTests
{
    [Theory]
    [InlineData("100us", 100)]
    [InlineData("250ms", 250_000)]
    [InlineData("1.5s", 1_500_000)]
    [InlineData("2m", 120_000_000)]
    [InlineData("1h", 3_600_000_000)]
    [InlineData(" 3S ", 3_000_000)]
    public void Reads_each_unit(string text, long expectedMicros)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(expectedMicros, (long)duration.TotalMicroseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("5x")]
    [InlineData("ms")]
    [InlineData("NaNs")]
    [InlineData(null)]
    public void Refuses_what_is_not_a_duration(string? text) =>
        Assert.False(DurationParser.TryParse(text, out _));
}

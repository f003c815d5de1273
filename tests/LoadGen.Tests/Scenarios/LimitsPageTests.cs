using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Scenarios.Json;

namespace GrpcLoadLab.LoadGen.Tests.Scenarios;

/// <summary>docs/limits.md says what the code enforces: each range in its tables is the one in <see cref="Limits"/>.</summary>
public class LimitsPageTests
{
    // The table rows of the page's "## Ranges" section, as cells.
    private static readonly IReadOnlyList<string[]> Rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "docs", "limits.md"))
        .SkipWhile(line => line != "## Ranges")
        .Skip(1)
        .TakeWhile(line => !line.StartsWith("## ", StringComparison.Ordinal))
        .Where(line => line.StartsWith("| ", StringComparison.Ordinal) && !line.StartsWith("|---", StringComparison.Ordinal))
        .Select(line => line.Trim('|').Split(" | ").Select(cell => cell.Trim()).ToArray())
        .ToList();

    public static TheoryData<string> Numbers => [.. Limits.Numbers.Select(range => range.Name)];

    [Theory]
    [MemberData(nameof(Numbers))]
    public void Every_number_range_is_on_the_page_as_the_code_has_it(string name)
    {
        var range = Limits.Numbers.Single(r => r.Name == name);

        var row = Assert.Single(Rows, r => r[0] == name);

        Assert.StartsWith(range.Bounds, row[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("phase duration, iterations timeout, deadline", "at most {long}")]
    [InlineData("sweep durations", "at most {long}")]
    [InlineData("simulated work and pauses", "to {work}")]
    [InlineData("retry hedging delay, fault delay", "at most {work}")]
    [InlineData("DNS re-resolution", "from {dns} to {work}")]
    public void Every_duration_range_is_on_the_page_as_the_code_has_it(string name, string bound)
    {
        var expected = bound
            .Replace("{long}", DurationJsonConverter.Format(Limits.LongestDuration), StringComparison.Ordinal)
            .Replace("{work}", DurationJsonConverter.Format(Limits.LongestWork), StringComparison.Ordinal)
            .Replace("{dns}", DurationJsonConverter.Format(Limits.ShortestDnsRefresh), StringComparison.Ordinal);

        var row = Assert.Single(Rows, r => r[0] == name);

        Assert.Contains(expected, row[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_holds_no_number_range_the_code_does_not_have()
    {
        var durationRows = new[] { "phase duration, iterations timeout, deadline", "sweep durations", "simulated work and pauses", "retry hedging delay, fault delay", "fault times", "DNS re-resolution" };
        var rangeRows = Rows.Where(r => r[0] != "value").Select(r => r[0]).ToList();

        Assert.NotEmpty(rangeRows);

        Assert.All(rangeRows, name => Assert.True(
            durationRows.Contains(name) || Limits.Numbers.Any(range => range.Name == name),
            $"docs/limits.md has a range '{name}' that Limits.cs does not"));
    }
}

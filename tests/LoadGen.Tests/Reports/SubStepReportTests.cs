using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Tests.Reports;

/// <summary>A C# scenario's named sub-steps and its step's description on its report (fixture: a real C# run whose every 8th payment fails).</summary>
public class SubStepReportTests
{
    [Fact]
    public void The_sub_steps_table_has_a_row_per_sub_step_with_its_counts_and_latency()
    {
        var result = TestRuns.Read("substeps");
        var rows = RunReportTests.Rows(RunReportTests.Table(RunPage.Render(result), "sub-steps-table"));

        Assert.Equal(["cart", "pay"], result.SubSteps.Select(step => step.Name));
        Assert.Equal(3, rows.Count);
        foreach (var (row, step) in rows.Skip(1).Zip(result.SubSteps))
        {
            var latency = step.Latency;
            Assert.Contains(
                $"<td>{step.Name}</td><td>{NumberText.Count(step.Succeeded + step.Failed)}</td><td>{NumberText.Count(step.Failed)}</td>"
                + $"<td>{NumberText.Millis(latency, h => h.P50)}</td><td>{NumberText.Millis(latency, h => h.P90)}</td><td>{NumberText.Millis(latency, h => h.P99)}</td><td>{NumberText.Millis(latency, h => h.Max)}</td>",
                row,
                StringComparison.Ordinal);
        }

        Assert.Contains("<td>pay</td><td>120</td><td>15</td>", rows[2], StringComparison.Ordinal);
    }

    [Fact]
    public void The_report_says_what_the_step_calls()
    {
        var result = TestRuns.Read("substeps");

        Assert.Contains(
            "<td>call</td><td>unary: LoadLab/Unary twice: the cart (2 ms on the server), then the payment</td>",
            RunReportTests.Table(RunPage.Render(result), "summary-table"),
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_without_sub_steps_has_no_sub_steps_section()
    {
        var html = RunPage.Render(TestRuns.Read("unary-open"));

        Assert.DoesNotContain("id=\"sub-steps\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sub_steps_name_is_encoded_never_raw()
    {
        var result = TestRuns.Read("substeps");
        var hostile = result with { SubSteps = [result.SubSteps[0] with { Name = TestRuns.Hostile }] };

        var html = RunPage.Render(hostile);

        Assert.DoesNotContain(TestRuns.Hostile, html, StringComparison.Ordinal);
        Assert.Contains("<td>&lt;script&gt;", RunReportTests.Table(html, "sub-steps-table"), StringComparison.Ordinal);
    }
}

using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Tests.Reports;

/// <summary>The self-check's warnings shown where its other findings are: the terminal summary, report.html, summary.md.</summary>
public class WarningReportTests
{
    private const string Warning = "the generator was still warming up in the measured phases: <its JIT> compiled 1,240 methods";

    [Fact]
    public void A_valid_run_with_a_warning_shows_it_beside_its_verdict_everywhere_and_stays_valid()
    {
        var closed = TestRuns.Read("unary-closed");
        var result = closed with { Verdict = closed.Verdict with { Warnings = [Warning] } };

        Assert.Contains("  run: valid\n  warning: " + Warning + "\n", SummaryText.Render(result, "r/result.json").ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains(
            "id=\"warnings\"><div class=\"warning\">warning: the generator was still warming up in the measured phases: &lt;its JIT&gt; compiled 1,240 methods</div></div>",
            RunPage.Render(result),
            StringComparison.Ordinal);
        Assert.Contains("**warning**: " + Warning.Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal), SummaryMarkdown.Render(result), StringComparison.Ordinal);
        Assert.True(result.Verdict.Valid);
    }

    [Fact]
    public void A_run_without_warnings_shows_none_and_an_older_result_reads_with_none()
    {
        var older = TestRuns.Read("unary-closed");
        Assert.Empty(older.Verdict.Warnings);

        Assert.DoesNotContain("warning:", SummaryText.Render(older, "r/result.json"), StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"warnings\"", RunPage.Render(older), StringComparison.Ordinal);
        Assert.DoesNotContain("**warning**", SummaryMarkdown.Render(older), StringComparison.Ordinal);
    }

    [Fact]
    public void A_result_keeps_its_warnings()
    {
        var closed = TestRuns.Read("unary-closed");
        var result = closed with { Verdict = closed.Verdict with { Warnings = [Warning] } };
        var directory = Directory.CreateTempSubdirectory("warnings-").FullName;
        try
        {
            Assert.Equal([Warning], ResultJson.Read(ResultJson.WriteNew(result, directory)).Verdict.Warnings);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Tests.Reports;

namespace GrpcLoadLab.LoadGen.Tests.Study;

/// <summary>The reports' index lists the sweeps' studies above the runs.</summary>
public class StudyIndexTests
{
    private static readonly IReadOnlyList<(string Folder, IndexEntry Entry)> Runs = [("unary-closed", IndexEntry.Of(TestRuns.Read("unary-closed"), ""))];

    [Fact]
    public void The_index_links_every_study()
    {
        var demo = Sweep("demo", partial: false);
        var cpu = Sweep("cpu-only", partial: true) with { Cells = [new SweepCellResult("cpu", "round_robin", 4, false, 8, "x", 0)] };

        var html = IndexPage.Render(Runs, [new("20250102-090000-sweep-demo", demo, null), new("20250101-090000-sweep-cpu-only", cpu, null)]);

        Assert.Contains("<section id=\"studies\">", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf("<section id=\"studies\">", StringComparison.Ordinal) < html.IndexOf("<section id=\"runs\">", StringComparison.Ordinal));
        var rows = RunReportTests.Rows(RunReportTests.Table(html, "studies-table"));
        Assert.Equal(3, rows.Count);
        Assert.Equal(
            "><td>2025-01-01 12:00:00</td><td><a href=\"20250102-090000-sweep-demo/study.html\">demo</a></td><td>4</td><td>io, cpu</td><td>1, 2</td></tr>\n",
            rows[1]);
        Assert.Contains("<a href=\"20250101-090000-sweep-cpu-only/study.html\">cpu-only</a> (PARTIAL)</td><td>1</td><td>cpu</td><td>4</td>", rows[2], StringComparison.Ordinal);
        // The runs are listed as before.
        Assert.Contains("<a href=\"unary-closed/report.html\">unary-closed</a>", html, StringComparison.Ordinal);
        RunReportTests.AssertOffline(html);
    }

    [Fact]
    public void Without_sweeps_there_is_no_studies_section()
    {
        Assert.DoesNotContain("id=\"studies", IndexPage.Render(Runs), StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"studies", IndexPage.Render(Runs, []), StringComparison.Ordinal);
        Assert.Contains("<section id=\"runs\">", IndexPage.Render(Runs, []), StringComparison.Ordinal);
    }

    [Fact]
    public void A_study_folder_is_escaped_and_its_name_encoded()
    {
        var html = IndexPage.Render(Runs, [new("a b&c", Sweep(TestRuns.Hostile, partial: false), null)]);

        Assert.Contains("<a href=\"a%20b%26c/study.html\">&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&#39;</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_index_written_beside_a_sweep_lists_it()
    {
        var reports = TestRuns.CopyToTemporaryReports("unary-closed");
        try
        {
            var folder = Directory.CreateDirectory(Path.Combine(reports, "20250101-120000-sweep-demo")).FullName;
            SweepJson.Write(Sweep("demo", partial: false), folder);

            var html = File.ReadAllText(IndexPage.Write(reports));

            Assert.Contains("<a href=\"20250101-120000-sweep-demo/study.html\">demo</a>", html, StringComparison.Ordinal);
            Assert.Single(RunReportTests.Rows(RunReportTests.Table(html, "runs-table")).Skip(1));
        }
        finally
        {
            Directory.Delete(reports, recursive: true);
        }
    }

    internal static SweepResult Sweep(string name, bool partial) => new(
        SweepResult.SchemaName,
        SweepResult.CurrentVersion,
        name,
        partial,
        partial ? "interrupted" : null,
        new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2025, 1, 1, 12, 5, 0, TimeSpan.Zero),
        StudySweeps.Spec("demo"),
        2,
        [
            new SweepCellResult("io", "round_robin", 2, false, 16, "io-n2", 0),
            new SweepCellResult("io", "round_robin", 1, false, 8, "io-n1", 0),
            new SweepCellResult("cpu", "round_robin", 1, false, 8, "cpu-n1", 0),
            new SweepCellResult("cpu", "round_robin", 2, false, 16, null, 0),
        ]);
}

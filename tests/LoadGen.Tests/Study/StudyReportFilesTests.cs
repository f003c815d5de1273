using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Tests.Reports;

namespace GrpcLoadLab.LoadGen.Tests.Study;

/// <summary><c>study.html</c> written from a sweep folder's <c>sweep.json</c> and the run folders beside it.</summary>
public class StudyReportFilesTests
{
    [Fact]
    public void The_study_is_written_from_the_sweep_and_its_runs_and_the_index_lists_it()
    {
        var reports = TestRuns.CopyToTemporaryReports("unary-closed", "unary-open");
        try
        {
            var sweepFolder = Directory.CreateDirectory(Path.Combine(reports, "20250101-120000-sweep-demo")).FullName;
            SweepJson.Write(Sweep(), sweepFolder);

            var path = StudyReportWriter.Write(sweepFolder);

            Assert.Equal(Path.Combine(sweepFolder, "study.html"), path);
            Assert.True(StudyReportWriter.IsSweep(sweepFolder));
            Assert.False(StudyReportWriter.IsSweep(Path.Combine(reports, "unary-closed")));
            var html = File.ReadAllText(path);
            Assert.Contains("<a href=\"../unary-closed/report.html\">unary-closed</a>", html, StringComparison.Ordinal);
            Assert.Contains("<a href=\"../unary-open/report.html\">unary-open</a>", html, StringComparison.Ordinal);
            Assert.Contains("<p class=\"worse\">Run gone could not be read: it was moved or deleted, and is left out above.</p>", html, StringComparison.Ordinal);
            Assert.Contains("<section id=\"profile-2\">", html, StringComparison.Ordinal);

            var index = File.ReadAllText(Path.Combine(reports, "index.html"));
            Assert.Contains("<a href=\"20250101-120000-sweep-demo/study.html\">demo</a>", index, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(reports, recursive: true);
        }
    }

    [Fact]
    public void A_folder_without_a_sweep_is_refused()
    {
        var reports = TestRuns.CopyToTemporaryReports("unary-closed");
        try
        {
            var folder = Path.Combine(reports, "unary-closed");

            var error = Assert.Throws<ReportException>(() => StudyReportWriter.Write(folder));

            Assert.StartsWith($"{Path.Combine(folder, "sweep.json")} is not a sweep's result: ", error.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(folder, "study.html")));
        }
        finally
        {
            Directory.Delete(reports, recursive: true);
        }
    }

    private static SweepResult Sweep() => new(
        SweepResult.SchemaName,
        SweepResult.CurrentVersion,
        "demo",
        false,
        null,
        new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2025, 1, 1, 12, 5, 0, TimeSpan.Zero),
        StudySweeps.Spec("demo"),
        2,
        [
            new SweepCellResult("closed", "round_robin", 3, false, 16, "unary-closed", 0),
            new SweepCellResult("closed", "round_robin", 6, false, 32, "gone", 0),
            new SweepCellResult("open", "round_robin", 3, true, 500, "unary-open", 0),
        ]);
}

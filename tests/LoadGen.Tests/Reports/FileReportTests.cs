using System.Globalization;
using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Reports.Html;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Tests.Reports;

public class FileReportTests
{
    [Fact]
    public void Stats_csv_has_a_row_per_phase_and_totals_that_agree_with_the_result()
    {
        var result = TestRuns.Read("unary-open");
        var lines = StatsCsv.Render(result).TrimEnd('\n').Split('\n');

        Assert.Equal(StatsCsv.Header, lines[0]);
        Assert.Equal(result.Phases.Count + 2, lines.Length);
        var header = lines[0].Split(',');
        var totals = lines[^1].Split(',');
        Assert.Equal("totals", totals[0]);
        Assert.Equal(result.Totals.Calls.Started, long.Parse(totals[Array.IndexOf(header, "started")], CultureInfo.InvariantCulture));
        Assert.Equal(result.Totals.Latency.P99 / 1000.0, double.Parse(totals[Array.IndexOf(header, "p99_ms")], CultureInfo.InvariantCulture));
        Assert.Equal(Math.Round(result.Totals.CallsPerSecond, 2), double.Parse(totals[Array.IndexOf(header, "rps")], CultureInfo.InvariantCulture));
        Assert.Equal(result.Totals.BytesSent, long.Parse(totals[Array.IndexOf(header, "bytes_sent")], CultureInfo.InvariantCulture));
        var phase2 = lines[3].Split(',');
        Assert.Equal(result.Phases[2].Stats.Latency.Max / 1000.0, double.Parse(phase2[Array.IndexOf(header, "max_ms")], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Summary_md_has_the_key_figures_a_row_per_phase_and_per_server()
    {
        var result = TestRuns.Read("unary-closed");
        var md = SummaryMarkdown.Render(result);

        Assert.Contains($"| p99 | {NumberText.Millis(result.Totals.Latency.P99 / 1000.0)} ms |", md, StringComparison.Ordinal);
        Assert.Contains($"| calls/s | {NumberText.Rate(result.Totals.CallsPerSecond)} |", md, StringComparison.Ordinal);
        Assert.Contains($"| failed calls | {NumberText.Count(result.Totals.Calls.Failed)} |", md, StringComparison.Ordinal);
        foreach (var endpoint in result.Endpoints)
        {
            Assert.Contains($"| {endpoint.InstanceId} | {endpoint.Address} | {NumberText.Count(endpoint.Succeeded)} | {NumberText.Count(endpoint.Failed)} | {NumberText.Count(endpoint.NoStatus)} | {NumberText.Percent(endpoint.Share, 1)} |", md, StringComparison.Ordinal);
        }

        Assert.Equal(result.Phases.Count, md.Split('\n').Count(line => line.StartsWith("| 0 |", StringComparison.Ordinal) || line.StartsWith("| 1 |", StringComparison.Ordinal)));
    }

    [Fact]
    public void Writing_a_runs_reports_puts_three_files_beside_its_result_and_an_index_above()
    {
        var reports = TestRuns.CopyToTemporaryReports("unary-open", "bidi");
        try
        {
            var folder = Path.Combine(reports, "bidi");
            RunReportWriter.Write(RunFolders.Read(folder), folder);

            Assert.True(File.Exists(Path.Combine(folder, RunReportWriter.ReportFile)));
            Assert.True(File.Exists(Path.Combine(folder, RunReportWriter.SummaryFile)));
            Assert.True(File.Exists(Path.Combine(folder, RunReportWriter.StatsFile)));
            var index = File.ReadAllText(Path.Combine(reports, IndexPage.FileName));
            Assert.Contains("href=\"bidi/report.html\"", index, StringComparison.Ordinal);
            Assert.Contains("href=\"unary-open/report.html\"", index, StringComparison.Ordinal);

            // One shared plotly.js for every page, where each page's script element finds it.
            var plotly = Path.Combine(reports, PlotlyJs.FileName);
            Assert.True(new FileInfo(plotly).Length > 1_000_000);
            Assert.Contains($"<script src=\"../{PlotlyJs.FileName}\"></script>", File.ReadAllText(Path.Combine(folder, RunReportWriter.ReportFile)), StringComparison.Ordinal);
            Assert.Contains($"<script src=\"{PlotlyJs.FileName}\"></script>", index, StringComparison.Ordinal);
            Assert.Single(Directory.GetFiles(reports, "plotly*.js", SearchOption.AllDirectories));
        }
        finally
        {
            Directory.Delete(reports, recursive: true);
        }
    }

    [Fact]
    public void A_folder_without_a_result_is_refused_with_one_line()
    {
        var e = Assert.Throws<ReportException>(() => RunFolders.Read(Path.Combine(Path.GetTempPath(), "no-such-run")));
        Assert.Contains("holds no result.json", e.Message, StringComparison.Ordinal);
    }
}

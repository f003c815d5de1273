using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Study;
using GrpcLoadLab.LoadGen.Tests.Reports;

namespace GrpcLoadLab.LoadGen.Tests.Study;

/// <summary><c>study.html</c>, rendered from synthetic sweeps.</summary>
public class StudyReportTests
{
    private const string EncodedHostile = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&#39;";

    private static readonly WorkProfile Io = new() { Name = "io", Delay = TimeSpan.FromMilliseconds(20), Capacity = 8 };
    private static readonly WorkProfile Cpu = new() { Name = "cpu", Cpu = TimeSpan.FromMilliseconds(2), Pin = true };

    [Fact]
    public void Every_section_is_there_in_order()
    {
        var html = StudyPage.Render(TwoProfiles().Analysis(StudySweeps.Spec("demo", Io, Cpu)));

        var sections = new[] { "verdict", "lesson", "speedup", "profile-1", "profile-2", "cells", "sweep", "environment" };
        var positions = sections.Select(id => html.IndexOf($"<section id=\"{id}\">", StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p > 0));
        Assert.Equal(positions.Order(), positions);
        Assert.DoesNotContain("<section id=\"profile-3\">", html, StringComparison.Ordinal);
        Assert.Contains("<h2>Profile io</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<h2>Profile cpu</h2>", html, StringComparison.Ordinal);

        foreach (var chart in new[] { "chart-speedup", "chart-scaling-1", "chart-load-1", "chart-hockey-1", "chart-scaling-2", "chart-load-2", "chart-hockey-2" })
        {
            Assert.Contains($"<div class=\"chart\" id=\"{chart}\"></div>", html, StringComparison.Ordinal);
            Assert.Contains($"Plotly.newPlot(\"{chart}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("<title>demo — scaling study</title>", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"muted\">a synthetic study</p>", html, StringComparison.Ordinal);
        Assert.Contains("<p id=\"lesson-comparison\"><b>Side by side: io reached ", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>cores</td><td>2 (shared by every server and the load generator)</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>runs</td><td>13</td></tr>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"partial\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"invalid-runs\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_lesson_holds_every_profiles_explanation()
    {
        var analysis = TwoProfiles().Analysis(StudySweeps.Spec("demo", Io, Cpu));
        var html = StudyPage.Render(analysis);

        for (var i = 0; i < 2; i++)
        {
            foreach (var paragraph in StudyExplanation.Of(analysis.Profiles[i], 2))
            {
                Assert.Contains($"<p class=\"lesson-{i + 1}\">{System.Net.WebUtility.HtmlEncode(paragraph)}</p>", html, StringComparison.Ordinal);
            }
        }

        Assert.Contains(System.Net.WebUtility.HtmlEncode("That is a knee at the capacity bound: 1 × 8 calls at once / 20.0 ms = 400.0 calls/s"), html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_verdict_cards_and_the_contents_come_first()
    {
        var analysis = TwoProfiles().Analysis(StudySweeps.Spec("demo", Io, Cpu));
        var html = StudyPage.Render(analysis);

        var verdicts = StudyVerdict.Of(analysis);
        Assert.Equal("io: 3.90× on 4 instances — linear (98% efficiency)", verdicts[0]);
        Assert.Contains($"<div class=\"banner verdict good\" id=\"verdict-1\"><a href=\"#profile-1\">{System.Net.WebUtility.HtmlEncode(verdicts[0])}</a></div>", html, StringComparison.Ordinal);
        Assert.Contains($"<div class=\"banner verdict partial\" id=\"verdict-2\"><a href=\"#profile-2\">{System.Net.WebUtility.HtmlEncode(verdicts[1])}</a></div>", html, StringComparison.Ordinal);
        var verdict = html.IndexOf("<section id=\"verdict\">", StringComparison.Ordinal);
        var contents = html.IndexOf("<nav id=\"contents\">", StringComparison.Ordinal);
        Assert.True(verdict > 0 && verdict < contents && contents < html.IndexOf("<section id=\"lesson\">", StringComparison.Ordinal));
        foreach (var id in new[] { "lesson", "speedup", "profile-1", "profile-2", "cells", "sweep", "environment" })
        {
            Assert.Contains($"<a href=\"#{id}\">", html[contents..], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_sweep_is_shown_indented_with_its_quotes_as_they_are_and_without_what_it_left_out()
    {
        var spec = StudySweeps.Spec("demo", Io with { Description = "it's the \"io\" one" }, Cpu);
        var html = StudyPage.Render(TwoProfiles().Analysis(spec));

        var sweep = html[html.IndexOf("<pre id=\"sweep-json\">", StringComparison.Ordinal)..];
        Assert.Contains("\n  &quot;name&quot;: &quot;demo&quot;,\n", sweep, StringComparison.Ordinal);
        // What the sweep left out stays out.
        Assert.DoesNotContain("null", sweep[..sweep.IndexOf("</pre>", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.Contains("it&#39;s the \\&quot;io\\&quot; one", sweep, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", sweep, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_run_is_linked_to_its_report_beside_the_sweeps_folder()
    {
        var sweeps = TwoProfiles();
        var html = StudyPage.Render(sweeps.Analysis(StudySweeps.Spec("demo", Io, Cpu)));

        var rows = RunReportTests.Rows(RunReportTests.Table(html, "cells-table"));
        Assert.Equal(sweeps.Cells.Count + 1, rows.Count);
        foreach (var cell in sweeps.Cells)
        {
            Assert.Contains(rows, row => row.Contains($"<td><a href=\"../{cell.RunFolder}/report.html\">{cell.RunFolder}</a></td>", StringComparison.Ordinal));
        }

        // The first io cell: 1 instance, 1 caller, 50 calls/s.
        Assert.Contains($"<td><a href=\"../{StudySweeps.Folder("io", "round_robin", 1, 1)}/report.html\">{StudySweeps.Folder("io", "round_robin", 1, 1)}</a></td><td>io</td><td>round_robin</td><td>1</td><td>1 concurrent</td><td>{NumberText.Rate(50)}</td>", rows[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_name_is_escaped_in_the_link_and_encoded_in_the_text()
    {
        var sweep = new SweepResult(
            SweepResult.SchemaName,
            SweepResult.CurrentVersion,
            "s",
            false,
            null,
            DateTimeOffset.UnixEpoch,
            DateTimeOffset.UnixEpoch,
            StudySweeps.Spec("s"),
            2,
            [new SweepCellResult("p", "round_robin", 1, false, 8, "a b&c", 0)]);

        var html = StudyPage.Render(StudyAnalysis.Of(sweep, _ => StudySweeps.Run(400, 20)));

        Assert.Contains("<a href=\"../a%20b%26c/report.html\">a b&amp;c</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Runs_that_cannot_be_read_are_named_below_the_table()
    {
        var missing = StudySweeps.Folder("io", "round_robin", 2, 16);
        var html = StudyPage.Render(new StudySweeps()
            .Grid("io", [1], [[8]], [[400]])
            .Cell("io", 2, 16, null)
            .Analysis());

        Assert.Equal(2, RunReportTests.Rows(RunReportTests.Table(html, "cells-table")).Count);
        Assert.Contains($"<p class=\"worse\">Run {missing} could not be read: it was moved or deleted, and is left out above.</p>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Tables_give_the_scaling_littles_law_and_the_fits()
    {
        var html = StudyPage.Render(TwoProfiles().Analysis(StudySweeps.Spec("demo", Io, Cpu)));

        // io: 400, 790, 1560 calls/s on 1, 2, 4 instances.
        var scaling = RunReportTests.Rows(RunReportTests.Table(html, "table-scaling-1"));
        Assert.Equal(4, scaling.Count);
        // Bound: 4 × 8 slots / 20 ms = 1,600 calls/s.
        Assert.Equal("><td>4</td><td>32 concurrent</td><td>1560.0</td><td>1600.0</td><td>97.5%</td><td>3.90&#215;</td><td>97.5%</td><td>-</td><td>-</td><td>0.00</td><td>-</td></tr>\n", scaling[3]);

        // The load curve on 1 instance: 1 to 16 callers, Little's law exact.
        var little = RunReportTests.Rows(RunReportTests.Table(html, "table-little-1"));
        Assert.Equal(6, little.Count);
        Assert.Equal("><td>8 concurrent</td><td>8</td><td>20.0</td><td>40.0</td><td>400.0</td><td>400.0</td><td>+0.0%</td><td>0.00%</td></tr>\n", little[4]);

        // 3 instance counts: fitted over instances; 5 levels: over concurrency.
        var usl = RunReportTests.Rows(RunReportTests.Table(html, "table-usl-1"));
        Assert.Equal(3, usl.Count);
        Assert.StartsWith("><td>instances</td><td>3</td>", usl[1], StringComparison.Ordinal);
        // 3 points leave the residual error undefined: said so, whatever R² reads.
        Assert.EndsWith("<td>- (needs more than 3 points)</td></tr>\n", usl[1], StringComparison.Ordinal);
        Assert.StartsWith("><td>concurrency on 1 instance</td><td>5</td>", usl[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Without_enough_fleets_there_is_no_speedup_and_the_fit_says_what_it_needs()
    {
        var html = StudyPage.Render(new StudySweeps().Grid("io", [2], [[8, 16]], [[400, 700]]).Analysis());

        Assert.DoesNotContain("<section id=\"speedup\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"table-scaling-1\"", html, StringComparison.Ordinal);
        Assert.Contains("<section id=\"profile-1\">", html, StringComparison.Ordinal);
        Assert.Contains("<h3>Throughput and latency over concurrency on 2 instances</h3>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>instances</td><td>1</td><td>needs 3 points</td>", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"muted\">Work: the scenario&#39;s own.</p>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_partial_sweep_says_so_first()
    {
        var sweeps = new StudySweeps().Grid("io", [1, 2], [[8], [16]], [[400], [790]]);

        var html = StudyPage.Render(sweeps.Analysis(partialReason: "interrupted"));

        var banner = html.IndexOf("<div class=\"banner partial\" id=\"partial\">PARTIAL: interrupted; 2 runs finished, and the figures cover them</div>", StringComparison.Ordinal);
        Assert.True(banner > html.IndexOf("<section id=\"lesson\">", StringComparison.Ordinal));
        Assert.True(banner < html.IndexOf("<h3>io</h3>", StringComparison.Ordinal));
    }

    [Fact]
    public void A_run_that_measured_nothing_is_linked_and_left_out_of_the_figures()
    {
        var sweeps = new StudySweeps()
            .Grid("io", [1, 2], [[8], [16]], [[400], [800]])
            .Cell("io", 4, 32, StudySweeps.Run(0, 0, valid: false, partial: true));

        var html = StudyPage.Render(sweeps.Analysis(StudySweeps.PerInstance([1, 2, 4], 8), partialReason: "interrupted"));

        var folder = StudySweeps.Folder("io", "round_robin", 4, 32);
        Assert.Contains($"<p class=\"worse\">Run <a href=\"../{folder}/report.html\">{folder}</a> measured nothing (no call ended in its measured phases; its report says why), and is left out above and of every figure.</p>", html, StringComparison.Ordinal);
        Assert.Contains("PARTIAL: interrupted; 2 runs finished, and the figures cover them", html, StringComparison.Ordinal);
        Assert.Equal(2, RunReportTests.Rows(RunReportTests.Table(html, "cells-table")).Count(row => row.Contains("<td>", StringComparison.Ordinal)));
        Assert.DoesNotContain("id=\"invalid-runs\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("fell back", html, StringComparison.Ordinal);
        Assert.DoesNotContain("partly-measured", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fleet_measured_at_only_some_of_its_loads_is_named_with_the_loads_it_had()
    {
        var sweeps = new StudySweeps().Grid("io", [1, 2], [[4, 8, 16], [8, 16]], [[180, 350, 380], [180, 350]]);

        var html = StudyPage.Render(sweeps.Analysis(StudySweeps.PerInstance([1, 2], 4, 8, 16), partialReason: "interrupted"));

        Assert.Contains("<p class=\"worse\" id=\"partly-measured-1-2\">2 instances: measured only at 8 concurrent, 16 concurrent, not at every load the sweep planned (it stopped part way, or a run could not be read or measured nothing): left out of the throughput over instances, since its best load may be among those missing.</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"table-scaling-1\"", html, StringComparison.Ordinal);
        Assert.Equal(5, RunReportTests.Rows(RunReportTests.Table(html, "cells-table")).Count(row => row.Contains("<td>", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_sweep_with_no_readable_run_says_there_is_nothing_to_show()
    {
        var html = StudyPage.Render(new StudySweeps().Cell("io", 1, 8, null).Analysis(partialReason: "the fleet script could not start 1 instance"));

        Assert.Contains("<p>No run finished, so there is nothing to show.</p>", html, StringComparison.Ordinal);
        Assert.Contains("PARTIAL: the fleet script could not start 1 instance", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<section id=\"profile-1\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<section id=\"speedup\">", html, StringComparison.Ordinal);
        Assert.Contains("<section id=\"environment\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_runs_are_counted_in_the_lesson()
    {
        var html = StudyPage.Render(new StudySweeps()
            .Cell("io", 1, 8, StudySweeps.Run(400, 20, valid: false))
            .Cell("io", 1, 16, StudySweeps.Run(400, 40, valid: false))
            .Cell("io", 2, 16, StudySweeps.Run(800, 20))
            .Analysis());

        Assert.Contains("<p class=\"worse\" id=\"invalid-runs\">2 run(s) are marked INVALID", html, StringComparison.Ordinal);
        Assert.Equal(2, RunReportTests.Rows(RunReportTests.Table(html, "cells-table")).Count(row => row.Contains("<td>INVALID</td>", StringComparison.Ordinal)));
    }

    [Fact]
    public void Hostile_names_are_encoded_never_raw()
    {
        var hostile = TestRuns.Hostile;
        var spec = StudySweeps.Spec(hostile, Io with { Name = hostile, Description = hostile }, Cpu) with { Description = hostile };
        var sweeps = new StudySweeps(hostile)
            .Grid(hostile, [1, 2, 4], [[1, 2, 4], [2, 4], [4, 8]], [[100, 200, 390], [200, 400], [400, 780]], policy: hostile)
            .Grid("cpu", [1, 2, 4], [[1, 2], [2, 4], [4, 8]], [[300, 450], [400, 600], [500, 700]], policy: "round_robin")
            .Cell(hostile, 8, 8, null, policy: hostile);

        var html = StudyPage.Render(sweeps.Analysis(spec, partialReason: hostile));

        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\"&'", html, StringComparison.Ordinal);
        Assert.Contains($"<title>{EncodedHostile} — scaling study</title>", html, StringComparison.Ordinal);
        Assert.Contains($"<h1 id=\"title\">{EncodedHostile}: what concurrency", html, StringComparison.Ordinal);
        Assert.Contains($"PARTIAL: {EncodedHostile};", html, StringComparison.Ordinal);
        Assert.Contains($"<h2>Profile {EncodedHostile} ({EncodedHostile})</h2>", html, StringComparison.Ordinal);
        Assert.Contains($"<h3>{EncodedHostile} ({EncodedHostile})</h3>", html, StringComparison.Ordinal);
        Assert.Contains($"<td>{EncodedHostile}</td><td>{EncodedHostile}</td><td>1</td>", html, StringComparison.Ordinal);
        Assert.Contains($"<p class=\"muted\">{EncodedHostile} Work: each call waits 20.0 ms", html, StringComparison.Ordinal);
        Assert.Contains($"<p class=\"worse\">Run 20250101-120000-{EncodedHostile}-{EncodedHostile}-n8-l8 could not be read", html, StringComparison.Ordinal);
        Assert.Contains("<pre id=\"sweep-json\">", html, StringComparison.Ordinal);
        RunReportTests.AssertOffline(html);
    }

    [Fact]
    public void The_page_is_self_contained()
    {
        var html = StudyPage.Render(TwoProfiles().Analysis(StudySweeps.Spec("demo", Io, Cpu)));

        RunReportTests.AssertOffline(html);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(html) < 5 * 1024 * 1024);
    }

    /// <summary>io (near-linear: 400, 790, 1560 calls/s on 1, 2, 4 instances; its knee at 8 callers) and cpu (stalling), 13 cells.</summary>
    private static StudySweeps TwoProfiles() => new StudySweeps("demo")
        .Grid("io", [1, 2, 4], [[1, 2, 4, 8, 16], [16], [32]], [[50, 100, 200, 400, 400], [790], [1560]])
        .Grid("cpu", [1, 2, 4], [[1, 2], [2, 4], [4, 8]], [[300, 450], [400, 600], [500, 700]]);
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using GrpcLoadLab.LoadGen.Reports.Charts;
using GrpcLoadLab.LoadGen.Reports.Figures;
using GrpcLoadLab.LoadGen.Reports.Html;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Sweeps;
using GrpcLoadLab.LoadGen.Terminal;
using static GrpcLoadLab.LoadGen.Reports.Html.Html;

namespace GrpcLoadLab.LoadGen.Reports;

/// <summary>
/// <c>reports/index.html</c>: every run in the folder, newest first (table <c>runs-table</c>, one row per run with a
/// checkbox, its key figures and a link to its report). Ticking two or more runs and pressing "Compare" draws, in
/// section <c>compare</c>, the comparison's overlaid charts (<c>chart-compare-throughput</c>,
/// <c>chart-compare-latency-over-time</c>, <c>chart-compare-spectrum</c>) and its delta table
/// (<c>compare-delta-table</c>) in the page, without the command line; mixed call kinds are refused in
/// <c>compare-error</c>. The page embeds, as JSON: <c>runs-data</c> (per run: key figures, per-second timeline,
/// spectrum points), <c>figure-definitions</c> (each figure's label, unit and better direction) and
/// <c>runs-charts</c> (each run's traces, built by the same chart builders as report.html and compare).
/// </summary>
internal static class IndexPage
{
    public const string FileName = "index.html";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Rewrites <c>index.html</c> in <paramref name="reportsFolder"/>; returns its path.</summary>
    public static string Write(string reportsFolder)
    {
        var path = Path.Combine(reportsFolder, FileName);
        PlotlyJs.WriteInto(reportsFolder);
        File.WriteAllText(path, Render(RunFolders.All(reportsFolder), RunFolders.Sweeps(reportsFolder)));
        return path;
    }

    public static string Render(IReadOnlyList<(string Folder, RunResult Result)> runs, IReadOnlyList<(string Folder, SweepResult Sweep)>? sweeps = null)
    {
        var page = new HtmlPage("Load runs");
        page.Append($"<h1 id=\"title\">Load runs</h1>\n<p class=\"muted\">{runs.Count} runs, newest first. Tick two or more runs of one call kind and press Compare.</p>\n");
        if (sweeps is { Count: > 0 })
        {
            page.Section("studies", "Studies", Studies(sweeps));
        }

        page.Section("runs", "Runs", Table(runs));
        page.Section("compare", "Comparison", """
            <p><button id="compare-button" type="button">Compare</button> <span id="compare-error" class="worse"></span></p>
            <div id="compare-result" hidden>
            <table id="compare-delta-table"></table>
            <div class="chart" id="chart-compare-throughput"></div>
            <div class="chart" id="chart-compare-latency-over-time"></div>
            <div class="chart" id="chart-compare-spectrum"></div>
            </div>

            """);
        page.Append(Embed("runs-data", JsonSerializer.Serialize(runs.Select(r => RunData(r.Folder, r.Result)), Json)));
        page.Append(Embed("figure-definitions", JsonSerializer.Serialize(KeyFigures.All.Select(f => new { f.Id, f.Label, f.Unit, Better = f.Better == Better.Higher ? "higher" : "lower" }), Json)));
        page.Append(Embed("runs-charts", "{" + string.Join(",", runs.Select(r => $"{JsonSerializer.Serialize(r.Folder)}:{Charts(r.Folder, r.Result)}")) + "}"));
        page.Append(Embed("run-palette", JsonSerializer.Serialize(RunSeries.Palette)));
        // The page's overlays are laid out as every other chart is.
        page.Append($"<script>\nfunction fitLayout(f) {{ {ChartBlock.FitLayout} }}\n{Script}\n</script>\n");
        return page.ToString();
    }

    private static string Table(IReadOnlyList<(string Folder, RunResult Result)> runs)
    {
        var html = new StringBuilder("<table id=\"runs-table\">\n").Append(HeaderRow("", "started", "run", "call kind", "servers", "calls/s", "p50 ms", "p99 ms", "errors", "verdict"));
        foreach (var (folder, r) in runs)
        {
            var href = Uri.EscapeDataString(folder) + "/report.html";
            html.Append(CultureInfo.InvariantCulture, $"<tr data-run=\"{Encode(folder)}\"><td><input type=\"checkbox\" class=\"pick\" value=\"{Encode(folder)}\"></td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{Encode(r.StartedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td><a href=\"{Encode(href)}\">{Encode(r.Name)}</a>{(r.Partial ? " (PARTIAL)" : "")}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{Encode(Spellings.CallKind.Name(r.Scenario.Call.Kind))}</td><td>{r.Environment.ServerCount}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{TerminalFormat.Rate(r.Totals.CallsPerSecond)}</td><td>{TerminalFormat.Millis(r.Totals.Latency, h => h.P50)}</td><td>{TerminalFormat.Millis(r.Totals.Latency, h => h.P99)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{TerminalFormat.Percent(r.Totals.ErrorRate, 2)}</td><td>{(r.Verdict.Passed ? "PASSED" : "FAILED")}{(r.Verdict.Valid ? "" : " (INVALID)")}</td></tr>\n");
        }

        return html.Append("</table>\n").ToString();
    }

    private static string Studies(IReadOnlyList<(string Folder, SweepResult Sweep)> sweeps)
    {
        var html = new StringBuilder("<table id=\"studies-table\">\n").Append(HeaderRow("started", "study", "runs", "profiles", "instances"));
        foreach (var (folder, sweep) in sweeps)
        {
            var href = Uri.EscapeDataString(folder) + "/" + StudyReports.StudyFile;
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(sweep.StartedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td><a href=\"{Encode(href)}\">{Encode(sweep.Name)}</a>{(sweep.Partial ? " (PARTIAL)" : "")}</td>")
                .Append(Cells(
                    sweep.Cells.Count.ToString(CultureInfo.InvariantCulture),
                    string.Join(", ", sweep.Cells.Select(c => c.Profile).Distinct()),
                    string.Join(", ", sweep.Cells.Select(c => c.Instances).Distinct().Order())))
                .Append("</tr>\n");
        }

        return html.Append("</table>\n").ToString();
    }

    private static object RunData(string folder, RunResult r) => new
    {
        Folder = folder,
        r.Name,
        Kind = Spellings.CallKind.Name(r.Scenario.Call.Kind),
        r.StartedAt,
        Report = Uri.EscapeDataString(folder) + "/report.html",
        Figures = KeyFigures.All.ToDictionary(f => f.Id, f => f.Value(r)),
        Timeline = r.Timeline.Select(s => new { s.Second, s.TargetLoad, s.Succeeded, s.Failed, s.P50, s.P90, s.P99, s.Max }),
        Spectrum = Spectrum.Points(r.Totals.Latency.Encoded).Select(p => new[] { p.Percentile, p.Millis }),
    };

    /// <summary>The run's overlay traces, labelled by its folder, from the same builders as the comparison page.</summary>
    private static string Charts(string folder, RunResult r)
    {
        // Drawn as in an overlay (dashes name the measures); the page gives each chosen run its own colour.
        IReadOnlyList<RunSeries> run = [new RunSeries(folder, r) { Colour = RunSeries.Palette[0] }];
        return $"{{\"throughput\":{GenericChartJson(TimeCharts.Throughput(run))},\"latency\":{GenericChartJson(TimeCharts.LatencyOverTime(run))},\"spectrum\":{GenericChartJson(DistributionCharts.Spectra(run, ("latency", t => t.Latency)))}}}";
    }

    private static string GenericChartJson(Plotly.NET.GenericChart chart) => Plotly.NET.GenericChart.toJson(chart);

    private static string Embed(string id, string json) =>
        $"<script type=\"application/json\" id=\"{id}\">{ScriptJson(json)}</script>\n";

    /// <summary>The in-page comparison: the figures' direction rules come from <c>figure-definitions</c>, the traces from <c>runs-charts</c>.</summary>
    private const string Script = """
        (function () {
          var runs = JSON.parse(document.getElementById('runs-data').textContent);
          var defs = JSON.parse(document.getElementById('figure-definitions').textContent);
          var charts = JSON.parse(document.getElementById('runs-charts').textContent);
          var byFolder = {};
          runs.forEach(function (r) { byFolder[r.folder] = r; });
          function text(s) { var d = document.createElement('div'); d.textContent = s; return d.innerHTML; }
          function fmt(v, unit) { return v === null || v === undefined ? '-' : (unit === 'ms' ? v.toFixed(v < 1 ? 2 : 1) : unit === '%' ? v.toFixed(3) + '%' : Math.round(v * 10) / 10 + ''); }
          var palette = JSON.parse(document.getElementById('run-palette').textContent);
          function overlay(id, key, chosen) {
            var data = [];
            chosen.forEach(function (r, i) {
              data = data.concat(charts[r.folder][key].data.map(function (t) {
                return Object.assign({}, t, { line: Object.assign({}, t.line, { color: palette[i % palette.length] }) });
              }));
            });
            var f = { data: data, layout: JSON.parse(JSON.stringify(charts[chosen[0].folder][key].layout)) };
            fitLayout(f);
            Plotly.newPlot(id, f.data, f.layout, { responsive: true, displaylogo: false });
          }
          document.getElementById('compare-button').addEventListener('click', function () {
            var error = document.getElementById('compare-error');
            var result = document.getElementById('compare-result');
            var chosen = Array.prototype.map.call(document.querySelectorAll('input.pick:checked'), function (c) { return byFolder[c.value]; });
            error.textContent = '';
            if (chosen.length < 2 || chosen.length > 10) { error.textContent = 'Choose 2 to 10 runs.'; result.hidden = true; return; }
            var kinds = chosen.map(function (r) { return r.kind; }).filter(function (k, i, all) { return all.indexOf(k) === i; });
            if (kinds.length > 1) { error.textContent = 'Cannot compare runs of different call kinds (' + kinds.join(', ') + ').'; result.hidden = true; return; }
            result.hidden = false;
            var html = '<tr><th>figure</th>' + chosen.map(function (r, i) { return '<th>' + text(r.folder) + '</th>' + (i > 0 ? '<th>vs first</th>' : ''); }).join('') + '</tr>';
            defs.forEach(function (d) {
              if (chosen.some(function (r) { return r.figures[d.id] === null || r.figures[d.id] === undefined; })) return;
              var base = chosen[0].figures[d.id];
              html += '<tr data-figure="' + d.id + '"><td>' + text(d.label) + '</td>' + chosen.map(function (r, i) {
                var v = r.figures[d.id];
                if (i === 0) return '<td>' + fmt(v, d.unit) + '</td>';
                var change = v - base;
                // The same rule as KeyFigure.Judge: within 1% of the baseline is "same".
                var judged = Math.abs(change) <= 0.01 * Math.abs(base) ? 'same' : ((change > 0) === (d.better === 'higher') ? 'better' : 'worse');
                var pct = base === 0 ? '' : ' (' + (change >= 0 ? '+' : '−') + (Math.abs(change) / Math.abs(base) * 100).toFixed(1) + '%)';
                return '<td>' + fmt(v, d.unit) + '</td><td class="' + judged + '">' + (change > 0 ? '+' : change < 0 ? '−' : '±') + fmt(Math.abs(change), d.unit) + pct + ' ' + judged + '</td>';
              }).join('') + '</tr>';
            });
            document.getElementById('compare-delta-table').innerHTML = html;
            overlay('chart-compare-throughput', 'throughput', chosen);
            overlay('chart-compare-latency-over-time', 'latency', chosen);
            overlay('chart-compare-spectrum', 'spectrum', chosen);
          });
        })();
        """;
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using GrpcLoadLab.LoadGen.Reports.Charts;
using GrpcLoadLab.LoadGen.Reports.Html;
using GrpcLoadLab.LoadGen.Results;
using static GrpcLoadLab.LoadGen.Reports.Html.Html;

namespace GrpcLoadLab.LoadGen.Reports;

/// <summary>
/// <c>reports/index.html</c>: every run and study in the folder, and the pages <c>loadgen compare</c> left there.
/// <list type="bullet">
/// <item>Table <c>runs-table</c>: one row per run (newest first) with a tick box (<c>input.pick</c>), a baseline mark
/// (<c>input.baseline</c>), its set-up (call kind, profile, instances, load, policy) and key figures; a click on a
/// header sorts by that column (again: the other way), and <c>runs-filter</c> keeps the rows holding every word typed.</item>
/// <item>Pressing "Compare" compares the ticked runs against the MARKED one (<c>compare-baseline</c> names it) in
/// section <c>compare</c>: the delta table <c>compare-delta-table</c>, laid out and written exactly as
/// <c>loadgen compare</c>'s, and the overlaid charts, whose traces each run keeps in its own <c>index-charts.js</c>
/// (loaded only then, see <see cref="IndexEntries"/>).</item>
/// <item>Table <c>damaged-table</c>: every run or study whose file is damaged, and what is wrong with it.</item>
/// </list>
/// The script reads the rule, not a copy of it: <c>figure-definitions</c> holds each figure's heading, direction and
/// number format as C# decides them (<see cref="KeyFigures"/>), and <c>delta-rule</c> the noise band, marks and the
/// change's % format, so the page and compare.html cannot drift apart.
/// </summary>
internal static class IndexPage
{
    public const string FileName = "index.html";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The run's set-up columns (heading, numeric), before its figures.</summary>
    private static readonly (string Heading, bool Numeric)[] SetUpColumns =
        [("started", false), ("run", false), ("call kind", false), ("profile", false), ("instances", true), ("load (callers or calls/s)", true), ("policy", false)];

    /// <summary>The key figures the table shows; the comparison shows them all.</summary>
    private static readonly string[] ColumnFigures = ["callsPerSecond", "p50", "p99", "errorRate"];

    /// <summary>Rewrites <c>index.html</c> in <paramref name="reportsFolder"/>; returns its path.</summary>
    public static string Write(string reportsFolder)
    {
        var path = Path.Combine(reportsFolder, FileName);
        PlotlyJs.WriteInto(reportsFolder);
        File.WriteAllText(path, Render(RunFolders.All(reportsFolder), RunFolders.Sweeps(reportsFolder), RunFolders.ComparePages(reportsFolder)));
        return path;
    }

    public static string Render(
        IReadOnlyList<(string Folder, IndexEntry Entry)> runs,
        IReadOnlyList<SweepListing>? sweeps = null,
        IReadOnlyList<(string File, DateTime Written)>? comparePages = null)
    {
        sweeps ??= [];
        var healthy = runs.Where(r => r.Entry.Damage is null).ToList();
        var studies = sweeps.Where(s => s.Sweep is not null).ToList();
        var damaged = runs.Where(r => r.Entry.Damage is not null).Select(r => (r.Folder, r.Entry.Damage!))
            .Concat(sweeps.Where(s => s.Damage is not null).Select(s => (s.Folder, s.Damage!))).ToList();

        var page = new HtmlPage("Load runs");
        page.Append($"<h1 id=\"title\">Load runs</h1>\n<p class=\"muted\">{healthy.Count} runs{(damaged.Count > 0 ? $", {damaged.Count} damaged" : "")}. Click a column's header to sort by it; mark one run as the baseline, tick the runs to compare with it and press Compare.</p>\n<style>{Style}</style>\n");
        if (studies.Count > 0)
        {
            page.Section("studies", "Studies", Studies(studies));
        }

        page.Section("runs", "Runs", Filter() + Table(healthy, Profiles(studies)));
        page.Section("compare", "Comparison", """
            <p><button id="compare-button" type="button">Compare</button> <span id="compare-baseline">No baseline marked.</span> <span id="compare-error" class="worse"></span></p>
            <div id="compare-result" hidden>
            <table id="compare-delta-table"></table>
            <div class="chart" id="chart-compare-throughput"></div>
            <div class="chart" id="chart-compare-latency-over-time"></div>
            <div class="chart" id="chart-compare-spectrum"></div>
            </div>

            """);
        if (comparePages is { Count: > 0 })
        {
            page.Section("compare-pages", "Comparison pages", ComparePages(comparePages));
        }

        if (damaged.Count > 0)
        {
            page.Section("damaged", "Damaged files", Damaged(damaged));
        }

        page.Append(Embed("runs-data", JsonSerializer.Serialize(healthy.Select(r => new { r.Folder, r.Entry.Kind, r.Entry.Figures }), Json)));
        page.Append(Embed("figure-definitions", JsonSerializer.Serialize(KeyFigures.All.Select(f => new { f.Id, f.Heading, Better = f.Better == Better.Higher ? "higher" : "lower", Format = f.Numbers }), Json)));
        page.Append(Embed("delta-rule", JsonSerializer.Serialize(new { KeyFigure.SameWithin, KeyFigure.Marks, Percent = KeyFigure.ChangePercent }, Json)));
        page.Append(Embed("run-palette", JsonSerializer.Serialize(RunSeries.Palette)));
        // The page's overlays are laid out as every other chart is.
        page.Append($"<script>\nfunction fitLayout(f) {{ {ChartBlock.FitLayout} }}\n{Script.Replace("CHARTS_FILE", IndexEntries.ChartsFile, StringComparison.Ordinal).Replace("CHARTS_CALLBACK", IndexEntries.ChartsCallback, StringComparison.Ordinal)}\n</script>\n");
        return page.ToString();
    }

    /// <summary>Each sweep's runs by folder, with the profile they ran: the index names it beside the run.</summary>
    private static Dictionary<string, string> Profiles(IEnumerable<SweepListing> sweeps) =>
        sweeps.SelectMany(s => s.Sweep!.Cells).Where(c => c.RunFolder is not null)
            .GroupBy(c => c.RunFolder!).ToDictionary(g => g.Key, g => g.First().Profile);

    private static string Filter() =>
        "<p><label>Filter <input id=\"runs-filter\" type=\"search\" placeholder=\"words in any column, e.g. io-bound round_robin\" size=\"48\"></label> <span id=\"runs-shown\" class=\"muted\"></span></p>\n";

    private static string Table(IReadOnlyList<(string Folder, IndexEntry Entry)> runs, Dictionary<string, string> profiles)
    {
        var figures = ColumnFigures.Select(KeyFigures.Get).ToList();
        var html = new StringBuilder("<table id=\"runs-table\">\n<thead><tr><th>compare</th><th>baseline</th>");
        foreach (var (heading, numeric) in SetUpColumns.Concat(figures.Select(f => (f.Heading, true))).Append(("verdict", false)))
        {
            html.Append(CultureInfo.InvariantCulture, $"<th class=\"sortable\" data-type=\"{(numeric ? "number" : "text")}\">{Encode(heading)}</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var (folder, r) in runs)
        {
            var href = Uri.EscapeDataString(folder) + "/" + RunReportWriter.ReportFile;
            html.Append(CultureInfo.InvariantCulture, $"<tr data-run=\"{Encode(folder)}\"><td><input type=\"checkbox\" class=\"pick\" value=\"{Encode(folder)}\"></td><td><input type=\"radio\" name=\"baseline\" class=\"baseline\" value=\"{Encode(folder)}\"></td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{Encode(r.StartedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td><a href=\"{Encode(href)}\">{Encode(r.Name)}</a>{Encode(AgentWords.Mark(r.Agents))}{VerdictWords.PartialMark(r.Partial)}</td>")
                .Append(Cells(r.Kind, profiles.GetValueOrDefault(folder, "-")))
                .Append(Number(r.Instances, r.Instances.ToString(CultureInfo.InvariantCulture)))
                .Append(Number(r.Load, r.LoadText))
                .Append(Cells(r.Policy));
            foreach (var figure in figures)
            {
                var value = r.Figures.GetValueOrDefault(figure.Id);
                html.Append(Number(value, figure.Format(value)));
            }

            html.Append(Cells(VerdictWords.InShort(r.Passed, r.Valid))).Append("</tr>\n");
        }

        return html.Append("</tbody>\n</table>\n").ToString();
    }

    /// <summary>A numeric cell: sorted by its value, shown as written.</summary>
    private static string Number(double? value, string text) =>
        value is { } v ? $"<td data-value=\"{v.ToString("R", CultureInfo.InvariantCulture)}\">{Encode(text)}</td>" : $"<td>{Encode(text)}</td>";

    private static string Studies(IReadOnlyList<SweepListing> sweeps)
    {
        var html = new StringBuilder("<table id=\"studies-table\">\n").Append(HeaderRow("started", "study", "runs", "profiles", "instances"));
        foreach (var (folder, sweep, _) in sweeps)
        {
            var href = Uri.EscapeDataString(folder) + "/" + StudyReportWriter.StudyFile;
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(sweep!.StartedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td><a href=\"{Encode(href)}\">{Encode(sweep.Name)}</a>{VerdictWords.PartialMark(sweep.Partial)}</td>")
                .Append(Cells(
                    sweep.Cells.Count.ToString(CultureInfo.InvariantCulture),
                    string.Join(", ", sweep.Cells.Select(c => c.Profile).Distinct()),
                    string.Join(", ", sweep.Cells.Select(c => c.Instances).Distinct().Order())))
                .Append("</tr>\n");
        }

        return html.Append("</table>\n").ToString();
    }

    private static string ComparePages(IReadOnlyList<(string File, DateTime Written)> pages)
    {
        var html = new StringBuilder("<table class=\"left\" id=\"compare-pages-table\">\n").Append(HeaderRow("written", "page"));
        foreach (var (file, written) in pages)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(written.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))}</td><td><a href=\"{Encode(Uri.EscapeDataString(file))}\">{Encode(file)}</a></td></tr>\n");
        }

        return html.Append("</table>\n").ToString();
    }

    private static string Damaged(IReadOnlyList<(string Folder, string Damage)> damaged)
    {
        var html = new StringBuilder("<p>These folders' files cannot be read; every other run is listed as usual. <code>loadgen report FOLDER</code> says the same in one line.</p>\n<table class=\"left\" id=\"damaged-table\">\n").Append(HeaderRow("folder", "what is wrong"));
        foreach (var (folder, damage) in damaged)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr class=\"damaged\" data-run=\"{Encode(folder)}\"><td>{Encode(folder)}</td><td class=\"worse\">DAMAGED: {Encode(damage)}</td></tr>\n");
        }

        return html.Append("</table>\n").ToString();
    }

    private static string Embed(string id, string json) =>
        $"<script type=\"application/json\" id=\"{id}\">{ScriptJson(json)}</script>\n";

    private const string Style = """
        th.sortable { cursor: pointer; user-select: none; }
        th.sortable[aria-sort="ascending"]::after { content: " ▲"; }
        th.sortable[aria-sort="descending"]::after { content: " ▼"; }
        tr.is-baseline td { background: #eef4ff; }
        """;

    /// <summary>Sorting, filtering, the baseline mark and the in-page comparison.</summary>
    private const string Script = """
        (function () {
          var runs = JSON.parse(document.getElementById('runs-data').textContent);
          var defs = JSON.parse(document.getElementById('figure-definitions').textContent);
          var rule = JSON.parse(document.getElementById('delta-rule').textContent);
          var palette = JSON.parse(document.getElementById('run-palette').textContent);
          var byFolder = {};
          runs.forEach(function (r) { byFolder[r.folder] = r; });
          var table = document.getElementById('runs-table');
          var body = table.tBodies[0];
          function rows() { return Array.prototype.slice.call(body.rows); }
          function text(s) { var d = document.createElement('div'); d.textContent = s; return d.innerHTML; }

          // Sorting: numbers by the value each cell carries, text as read; a second click on a header reverses.
          Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
            if (!th.classList.contains('sortable')) return;
            th.addEventListener('click', function () {
              var ascending = th.getAttribute('aria-sort') !== 'ascending';
              Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) { other.removeAttribute('aria-sort'); });
              th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
              var numeric = th.dataset.type === 'number';
              function key(row) {
                var cell = row.cells[column];
                if (!numeric) return cell.textContent.toLowerCase();
                return cell.dataset.value === undefined ? null : parseFloat(cell.dataset.value);
              }
              var sorted = rows().map(function (row, i) { return { row: row, key: key(row), i: i }; });
              sorted.sort(function (a, b) {
                // Cells without a value go last either way; ties keep their order.
                if (a.key === null || b.key === null) return a.key === b.key ? a.i - b.i : a.key === null ? 1 : -1;
                var order = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
                return (ascending ? order : -order) || a.i - b.i;
              });
              sorted.forEach(function (s) { body.appendChild(s.row); });
            });
          });

          // Filtering: a row stays when it holds every word typed, in any of its cells.
          var filter = document.getElementById('runs-filter');
          var shown = document.getElementById('runs-shown');
          function applyFilter() {
            var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
            var count = 0;
            rows().forEach(function (row) {
              var haystack = row.textContent.toLowerCase();
              var keep = words.every(function (w) { return haystack.indexOf(w) >= 0; });
              row.hidden = !keep;
              if (keep) count++;
            });
            shown.textContent = count + ' of ' + rows().length + ' runs shown';
          }
          filter.addEventListener('input', applyFilter);
          applyFilter();

          // The baseline is the run the user marks; marking it ticks it too.
          var baselineText = document.getElementById('compare-baseline');
          function baseline() { var b = document.querySelector('input.baseline:checked'); return b ? b.value : null; }
          table.addEventListener('change', function (e) {
            if (!e.target.classList.contains('baseline')) return;
            rows().forEach(function (row) { row.classList.toggle('is-baseline', row.dataset.run === e.target.value); });
            document.querySelector('input.pick[value="' + CSS.escape(e.target.value) + '"]').checked = true;
            baselineText.textContent = 'Baseline: ' + e.target.value;
          });

          // Numbers as C# writes them: the format comes from figure-definitions / delta-rule.
          function fmt(v, f) {
            if (v === null || v === undefined || !isFinite(v)) return '-';
            var step = f.places.filter(function (p) { return p.below === null || Math.abs(v) < p.below; })[0];
            var scale = Math.pow(10, step.decimals);
            var rounded = Math.round(Math.abs(v) * scale) / scale;
            var s = (v < 0 && rounded !== 0 ? '-' : '') + rounded.toFixed(step.decimals);
            if (f.trimZeros && s.indexOf('.') >= 0) s = s.replace(/0+$/, '').replace(/\.$/, '');
            if (f.groupThousands) { var parts = s.split('.'); parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ','); s = parts.join('.'); }
            return s + f.suffix;
          }
          function judge(d, base, v) {
            return Math.abs(v - base) <= rule.sameWithin * Math.abs(base) ? 'same' : ((v > base) === (d.better === 'higher') ? 'better' : 'worse');
          }
          function delta(d, base, v) {
            var change = v - base;
            var sign = change > 0 ? '+' : change < 0 ? '−' : '±';
            var pct = base === 0 ? '' : ' (' + sign + fmt(Math.abs(change) / Math.abs(base) * 100, rule.percent) + ')';
            return sign + fmt(Math.abs(change), d.format) + pct;
          }

          // Each run's traces live in its folder's charts file, loaded (as a script: file:// pages may not fetch) when needed.
          var loaded = {};
          function loadCharts(folder) {
            if (loaded[folder]) return Promise.resolve(loaded[folder]);
            return new Promise(function (resolve, reject) {
              var script = document.createElement('script');
              window.CHARTS_CALLBACK = function (charts) { loaded[folder] = charts; resolve(charts); };
              script.onerror = function () { reject(new Error('the chart data of ' + folder + ' (' + folder + '/CHARTS_FILE) is missing: run loadgen report on it')); };
              script.src = encodeURIComponent(folder) + '/CHARTS_FILE';
              document.body.appendChild(script);
            });
          }
          function loadAll(chosen) {
            // One at a time: each file calls the same global function.
            return chosen.reduce(function (done, r) {
              return done.then(function (all) { return loadCharts(r.folder).then(function (c) { return all.concat([c]); }); });
            }, Promise.resolve([]));
          }
          function overlay(id, key, charts) {
            var data = [];
            charts.forEach(function (c, i) {
              data = data.concat(c[key].data.map(function (t) {
                return Object.assign({}, t, { line: Object.assign({}, t.line, { color: palette[i % palette.length] }) });
              }));
            });
            var f = { data: data, layout: JSON.parse(JSON.stringify(charts[0][key].layout)) };
            fitLayout(f);
            Plotly.newPlot(id, f.data, f.layout, { responsive: true, displaylogo: false });
          }

          document.getElementById('compare-button').addEventListener('click', function () {
            var error = document.getElementById('compare-error');
            var result = document.getElementById('compare-result');
            error.textContent = '';
            var base = baseline();
            if (!base) { error.textContent = 'Mark one run as the baseline.'; result.hidden = true; return; }
            // The baseline first, then the other ticked runs in the table's order.
            var chosen = [byFolder[base]].concat(rows().map(function (row) { return row.querySelector('input.pick'); })
              .filter(function (c) { return c.checked && c.value !== base; }).map(function (c) { return byFolder[c.value]; }));
            if (chosen.length < 2 || chosen.length > 10) { error.textContent = 'Tick 1 to 9 runs to compare with the baseline.'; result.hidden = true; return; }
            var kinds = chosen.map(function (r) { return r.kind; }).filter(function (k, i, all) { return all.indexOf(k) === i; });
            if (kinds.length > 1) { error.textContent = 'Cannot compare runs of different call kinds (' + kinds.join(', ') + ').'; result.hidden = true; return; }
            result.hidden = false;
            var html = '<tr><th>figure</th>' + chosen.map(function (r, i) {
              return '<th>' + text(r.folder) + (i === 0 ? ' (baseline)' : '') + '</th>' + (i > 0 ? '<th>vs baseline</th>' : '');
            }).join('') + '</tr>';
            defs.forEach(function (d) {
              if (chosen.some(function (r) { return r.figures[d.id] === null || r.figures[d.id] === undefined; })) return;
              var b = chosen[0].figures[d.id];
              html += '<tr data-figure="' + d.id + '"><td>' + text(d.heading) + '</td>' + chosen.map(function (r, i) {
                var v = r.figures[d.id];
                if (i === 0) return '<td>' + fmt(v, d.format) + '</td>';
                var judged = judge(d, b, v);
                return '<td>' + fmt(v, d.format) + '</td><td class="' + judged + '">' + text(delta(d, b, v) + ' ' + rule.marks[judged]) + '</td>';
              }).join('') + '</tr>';
            });
            document.getElementById('compare-delta-table').innerHTML = html;
            loadAll(chosen).then(function (charts) {
              overlay('chart-compare-throughput', 'throughput', charts);
              overlay('chart-compare-latency-over-time', 'latency', charts);
              overlay('chart-compare-spectrum', 'spectrum', charts);
            }, function (e) { error.textContent = e.message; });
          });
        })();
        """;
}

using System.Text;

namespace GrpcLoadLab.LoadGen.Reports.Html;

/// <summary>
/// The shell every report page shares: one file with its CSS inline and no network reference, which loads plotly.js
/// from the one shared copy in the reports folder (<see cref="PlotlyJs"/>), so that it opens offline, from disk or a
/// CI artefact of the folder. Opened away from that copy (the page alone, mailed), it says so at its top and what to
/// do, instead of showing empty charts.
/// </summary>
/// <param name="title">The page's title.</param>
/// <param name="plotlyFolder">
/// Where the shared plotly.js is, relative to the page's folder: "" beside it (the index, a comparison), ".." for a
/// page in a run's or a sweep's folder.
/// </param>
internal sealed class HtmlPage(string title, string plotlyFolder = "")
{
    private const string Style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1280px; padding: 0 1.5rem 3rem; color: #1d2330; }
        h1 { margin: 1.2rem 0 .3rem; font-size: 1.6rem; }
        h2 { margin-top: 2.2rem; border-bottom: 1px solid #d5d9e0; padding-bottom: .3rem; font-size: 1.25rem; }
        h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
        table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
        th, td { border: 1px solid #d5d9e0; padding: .25rem .6rem; text-align: right; vertical-align: top; }
        th { background: #f1f3f6; }
        td:first-child, th:first-child { text-align: left; }
        .left td, .left th { text-align: left; }
        .details td:last-child, .details th:last-child { text-align: left; white-space: normal; }
        .chart { width: 100%; min-height: 380px; }
        table { display: block; max-width: 100%; overflow-x: auto; }
        td, th { white-space: nowrap; }
        .muted { color: #69707d; }
        .banner { padding: .6rem 1rem; border-radius: 4px; margin: .6rem 0; font-weight: 600; }
        .banner.partial, .banner.warning { background: #fff3cd; border: 1px solid #e0b93c; }
        .banner.bad { background: #fde2e1; border: 1px solid #d9534f; }
        .banner.good { background: #dff3e3; border: 1px solid #4cae4c; }
        .figures { display: flex; flex-wrap: wrap; gap: .8rem; margin: .8rem 0; }
        .figure { border: 1px solid #d5d9e0; border-radius: 4px; padding: .4rem .8rem; min-width: 8rem; }
        .figure .value { font-size: 1.3rem; font-weight: 600; }
        .figure .label { font-size: .8rem; color: #69707d; }
        .better { color: #1e7b34; font-weight: 600; }
        .worse { color: #b52a25; font-weight: 600; }
        .same { color: #69707d; }
        .removed { background: #fde2e1; }
        .added { background: #dff3e3; }
        pre { background: #f6f8fa; padding: .8rem; overflow-x: auto; font-size: .85rem; }
        nav a { margin-right: .8rem; }
        [hidden] { display: none !important; }
        """;

    private const string ShowBannerWithoutPlotly = "if(!window.Plotly){document.getElementById('plotly-missing').hidden=false;}";

    private readonly StringBuilder _body = new();

    public HtmlPage Append(string html)
    {
        _body.Append(html);
        return this;
    }

    /// <summary>A section with an id, so that links, tests and browsers can find it.</summary>
    public HtmlPage Section(string id, string heading, string html)
    {
        _body.Append(System.Globalization.CultureInfo.InvariantCulture, $"<section id=\"{id}\">\n<h2>{Html.Encode(heading)}</h2>\n{html}</section>\n");
        return this;
    }

    /// <summary>The shared plotly.js as the page's script element names it (a URL path: forward slashes).</summary>
    public string PlotlySource => plotlyFolder.Length == 0 ? PlotlyJs.FileName : $"{plotlyFolder.Replace('\\', '/').TrimEnd('/')}/{PlotlyJs.FileName}";

    public override string ToString() =>
        $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{Html.Encode(title)}</title>
        <style>
        {Style}
        </style>
        <script src="{Html.Encode(PlotlySource)}"></script>
        </head>
        <body>
        <div class="banner bad" id="plotly-missing" hidden>The charts cannot be drawn: this page loads plotly.js from {Html.Encode(PlotlySource)}, which is not there. Open the page where loadgen wrote it, inside its reports folder (copy the whole folder, not the page alone), or run <code>loadgen report</code> on its folder to write the file again. The tables below hold every figure.</div>
        <script>{ShowBannerWithoutPlotly}</script>
        {_body}
        </body>
        </html>
        """;
}

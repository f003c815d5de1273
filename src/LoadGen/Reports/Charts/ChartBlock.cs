using Plotly.NET;

namespace GrpcLoadLab.LoadGen.Reports.Charts;

/// <summary>
/// Places a Plotly.NET chart in a page: a container <c>&lt;div class="chart" id="ID"&gt;</c> and a script that draws
/// the figure Plotly.NET serialised. Ids are fixed (not Plotly.NET's random ones) so pages are stable and testable.
/// </summary>
internal static class ChartBlock
{
    public static string Render(string id, GenericChart chart) =>
        $"<div class=\"chart\" id=\"{id}\"></div>\n<script>{Draw($"\"{id}\"", Figure(chart))}</script>\n";

    /// <summary>The figure's JSON (data and layout), safe inside a script element.</summary>
    public static string Figure(GenericChart chart) =>
        Html.Html.ScriptJson(GenericChart.toJson(chart));

    /// <summary>
    /// The JavaScript that draws <paramref name="figure"/> into the element <paramref name="idExpression"/>. Plotly.NET
    /// fixes a 600 px square; the page wants charts as wide as the page, the legend below, and counts from zero. Without
    /// plotly.js (a page opened away from its shared copy) it draws nothing: the page's banner says why.
    /// </summary>
    public static string Draw(string idExpression, string figure) =>
        $"(function(){{if(!window.Plotly)return;var f={figure};{FitLayout}Plotly.newPlot({idExpression},f.data,f.layout,{{responsive:true,displaylogo:false}});}})();";

    /// <summary>JavaScript that fits the figure <c>f</c> to the page; the index's in-page overlays use it too.</summary>
    internal const string FitLayout =
        "var l=f.layout;delete l.width;l.autosize=true;l.height=420;l.margin=Object.assign({t:30},l.margin);"
        + "l.legend=Object.assign({orientation:'h',x:0,y:-0.22},l.legend);"
        + "Object.keys(l).forEach(function(k){if(k.indexOf('yaxis')===0&&l[k].type!=='log'&&!l[k].range){l[k].rangemode='tozero';}});";
}

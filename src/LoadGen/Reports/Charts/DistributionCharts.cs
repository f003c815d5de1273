using System.Globalization;
using GrpcLoadLab.LoadGen.Results;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using Plotly.NET.LayoutObjects;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace GrpcLoadLab.LoadGen.Reports.Charts;

/// <summary>
/// Whole-run distributions, decoded from the result's HdrHistograms, for one run or several overlaid.
/// <list type="bullet">
/// <item><b>percentile spectrum</b>: x = percentile on a log "1/(1−p)" axis (50%, 90%, 99%, 99.9%, 99.99%
/// evenly spaced), y = latency in ms; the tail's shape is read from the right end. Open-model runs draw latency
/// from the schedule and service time side by side: the gap between them is time calls spent waiting to start.
/// Streaming runs draw time to first message, per-message latency and inter-arrival the same way.</item>
/// <item><b>latency histogram</b>: calls per log-spaced latency bucket (10 a decade, each bar as wide as its
/// bucket; the bars add up to the run's measured calls), to see modes.</item>
/// <item><b>share per server</b> and <b>status codes</b>: calls by serving instance and by gRPC status.</item>
/// </list>
/// </summary>
internal static class DistributionCharts
{
    private static readonly double[] NinesTicks = [1, 2, 10, 100, 1_000, 10_000, 100_000];
    private static readonly string[] NinesLabels = ["0%", "50%", "90%", "99%", "99.9%", "99.99%", "99.999%"];

    private static readonly StyleParam.DrawingStyle[] SpectrumDashes = [StyleParam.DrawingStyle.Solid, StyleParam.DrawingStyle.Dash];

    /// <summary>One line per run and per named distribution that the run holds.</summary>
    public static GenericChart Spectra(IReadOnlyList<RunSeries> runs, params (string Name, Func<PhaseStats, HistogramSummary?> Select)[] distributions)
    {
        var lines = runs
            .SelectMany(run => distributions.Select((d, i) => (run, d.Name, Histogram: d.Select(run.Result.Totals), Dash: SpectrumDashes[i % SpectrumDashes.Length])))
            .Where(line => line.Histogram is { Count: > 0 })
            .Select(line =>
            {
                var points = Spectrum.Points(line.Histogram!.Encoded);
                return CSharpChart.Line<double, double, string>(
                    x: points.Select(p => Spectrum.Nines(p.Percentile)),
                    y: points.Select(p => p.Millis),
                    Name: line.run.Name(line.Name),
                    LineColor: line.run.LineColour,
                    LineDash: line.run.Dash(line.Dash),
                    MultiText: points.Select(p => string.Create(CultureInfo.InvariantCulture, $"p{p.Percentile:0.#####}")).ToArray());
            })
            .DefaultIfEmpty(CSharpChart.Invisible());
        var chart = ChartStyle.Axes(CSharpChart.Combine(lines), "percentile (log scale of 1/(1−p))", "ms", logX: true);

        // Plotly.NET.CSharp's axis style has no tick labels: set them on a Plotly.NET axis that merges into the chart's.
        var ticks = new LinearAxis();
        ticks.SetProperty("tickvals", NinesTicks);
        ticks.SetProperty("ticktext", NinesLabels);
        return Plotly.NET.Chart.withXAxis(ticks, FSharpOption<StyleParam.SubPlotId>.None).Invoke(chart);
    }

    /// <summary>
    /// Calls per latency bucket (<see cref="Spectrum.Buckets"/>), each bar exactly as wide as its bucket: the x axis is
    /// log10 of the latency, labelled in ms, so that a bucket at 100 ms is as wide as one at 1 ms.
    /// </summary>
    public static GenericChart Histogram(RunSeries run, HistogramSummary latency)
    {
        var buckets = Spectrum.Buckets(latency.Encoded);
        var bars = CSharpChart.Column<double, double, string>(
            values: buckets.Select(b => (double)b.Calls),
            Keys: new Optional<IEnumerable<double>>(buckets.Select(b => (b.LowerLog10Millis + b.UpperLog10Millis) / 2), true),
            Name: run.Name("calls"),
            MultiWidth: new Optional<IEnumerable<double>>(buckets.Select(b => b.UpperLog10Millis - b.LowerLog10Millis), true),
            MultiText: new Optional<IEnumerable<string>>(buckets.Select(b => $"{NumberText.Number(b.LowerMillis)}–{NumberText.Number(b.UpperMillis)} ms"), true),
            TextPosition: StyleParam.TextPosition.None);
        var chart = ChartStyle.Axes(bars, "latency (ms, log scale)", "calls");
        var decades = buckets.Count == 0 ? [] : Enumerable.Range((int)Math.Floor(buckets[0].LowerLog10Millis), (int)Math.Ceiling(buckets[^1].UpperLog10Millis) - (int)Math.Floor(buckets[0].LowerLog10Millis) + 1).ToArray();
        var ticks = new LinearAxis();
        ticks.SetProperty("tickvals", decades);
        ticks.SetProperty("ticktext", decades.Select(d => NumberText.Number(Math.Pow(10, d))).ToArray());
        return Plotly.NET.Chart.withXAxis(ticks, FSharpOption<StyleParam.SubPlotId>.None).Invoke(chart);
    }

    public static GenericChart Bars(string xTitle, string yTitle, IReadOnlyList<(string Key, double Value)> bars) =>
        ChartStyle.Axes(
            CSharpChart.Column<double, string, string>(
                values: bars.Select(b => b.Value),
                Keys: new Optional<IEnumerable<string>>(bars.Select(b => Html.Html.Encode(b.Key)), true),
                Name: Html.Html.Encode(yTitle)),
            xTitle,
            yTitle);
}

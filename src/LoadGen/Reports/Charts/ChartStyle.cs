using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace GrpcLoadLab.LoadGen.Reports.Charts;

/// <summary>The pieces every chart shares: axes, a second y axis, phase bands and fault marks, built with Plotly.NET.</summary>
internal static class ChartStyle
{
    public static GenericChart Axes(GenericChart chart, string xTitle, string yTitle, bool logX = false) =>
        chart
            // Auto unless logarithmic: bar charts of servers and status codes have category axes.
            .WithXAxisStyle<double, double, string>(TitleText: Html.Html.Encode(xTitle), AxisType: logX ? StyleParam.AxisType.Log : StyleParam.AxisType.Auto)
            .WithYAxisStyle<double, double, string>(TitleText: Html.Html.Encode(yTitle));

    /// <summary>An x axis of whole numbers (instance counts): a tick at each one, none in between.</summary>
    public static GenericChart WholeNumbersOnX(GenericChart chart)
    {
        var axis = new Plotly.NET.LayoutObjects.LinearAxis();
        axis.SetProperty("dtick", 1);
        return Plotly.NET.Chart.withXAxis(axis, FSharpOption<StyleParam.SubPlotId>.None).Invoke(chart);
    }

    /// <summary>Moves <paramref name="chart"/>'s traces onto the second y axis.</summary>
    public static GenericChart OnSecondAxis(GenericChart chart) =>
        Plotly.NET.Chart.withAxisAnchor(FSharpOption<int>.None, FSharpOption<int>.Some(2)).Invoke(chart);

    public static GenericChart WithSecondAxis(GenericChart chart, string title) =>
        chart.WithYAxisStyle<double, double, string>(
            TitleText: Html.Html.Encode(title),
            Side: StyleParam.Side.Right,
            Overlaying: StyleParam.LinearAxisId.NewY(1),
            ShowGrid: false,
            Id: StyleParam.SubPlotId.NewYAxis(2));

    /// <summary>
    /// A chart with two y axes: <paramref name="measured"/> on the left, <paramref name="secondary"/> (the load asked
    /// for, a queue) on the right and drawn beneath, so that it never hides the measure. plotly.js draws an overlaying
    /// axis's traces above its base axis's, so the measure takes the overlaying axis (y2) and the secondary the base.
    /// </summary>
    public static GenericChart TwoAxes(IEnumerable<GenericChart> measured, string measuredTitle, IEnumerable<GenericChart> secondary, string secondaryTitle, string xTitle)
    {
        var onTop = OnSecondAxis(CSharpChart.Combine(measured));
        return CSharpChart.Combine(secondary.Append(onTop))
            .WithXAxisStyle<double, double, string>(TitleText: Html.Html.Encode(xTitle))
            .WithYAxisStyle<double, double, string>(
                TitleText: Html.Html.Encode(secondaryTitle),
                Side: StyleParam.Side.Right,
                ShowGrid: false,
                Id: StyleParam.SubPlotId.NewYAxis(1))
            .WithYAxisStyle<double, double, string>(
                TitleText: Html.Html.Encode(measuredTitle),
                Side: StyleParam.Side.Left,
                Overlaying: StyleParam.LinearAxisId.NewY(1),
                Id: StyleParam.SubPlotId.NewYAxis(2));
    }

    /// <summary>
    /// One band per phase, <paramref name="height"/> tall (warm-ups grey, measured phases in turn), named after the
    /// phase so that hovering a band tells which phase it was.
    /// </summary>
    public static IEnumerable<GenericChart> PhaseBands(Results.RunResult result, double height) =>
        result.Phases.Select(phase => CSharpChart.Area<double, double, string>(
            x: [phase.StartSeconds, phase.EndSeconds],
            y: [height, height],
            Name: Html.Html.Encode(phase.Warmup ? Figures.ScenarioView.PhaseLabel(phase) : $"phase {phase.Index}: {phase.Name}"),
            LineWidth: 0,
            // Translucent, so the series drawn over the bands stay readable.
            FillColor: Color.fromString(phase.Warmup ? "rgba(154,160,166,0.18)" : phase.Index % 2 == 0 ? "rgba(76,120,168,0.12)" : "rgba(245,133,24,0.12)"))
            .WithTraceInfo(LegendGroup: "phases"));

    /// <summary>
    /// One mark per fault of the run, named with its action and instance: a dashed line, <paramref name="height"/>
    /// tall, where a kill, terminate or restart took effect; a band from its start to its planned end (the end of the
    /// run when it has none) for a slow or fail fault.
    /// </summary>
    public static IEnumerable<GenericChart> FaultMarks(Results.RunResult result, double height)
    {
        var runEnd = result.Phases.Select(p => p.EndSeconds).DefaultIfEmpty(result.Timeline.Count).Max();
        return result.Faults.Select(fault =>
        {
            var start = fault.DoneSeconds ?? fault.AtSeconds;
            var name = Html.Html.Encode(fault.Label());
            var mark = fault.LastsAWhile()
                ? CSharpChart.Area<double, double, string>(
                    x: [start, Math.Max(start, fault.UntilSeconds ?? runEnd)],
                    y: [height, height],
                    Name: name,
                    LineWidth: 0,
                    FillColor: Color.fromString(fault.Action == "slow" ? "rgba(148,103,189,0.2)" : "rgba(214,39,40,0.16)"))
                : CSharpChart.Line<double, double, string>(
                    x: [start, start],
                    y: [0, height],
                    Name: name,
                    LineColor: Color.fromString(fault.Action == "restart" ? "#2ca02c" : "#d62728"),
                    LineDash: StyleParam.DrawingStyle.Dash);
            return mark.WithTraceInfo(LegendGroup: "faults");
        });
    }
}

using System.Globalization;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Study;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace GrpcLoadLab.LoadGen.Reports.Charts;

/// <summary>
/// The study report's charts, built from a <see cref="StudyAnalysis"/>. Reference lines are drawn before what they
/// frame where they could hide it, and the ideal line last, so that it stays visible above a fit that follows it.
/// <list type="bullet">
/// <item><b>speedup</b>: X(N)/X(N₀) over instances for every profile, each profile's USL curve, the ideal line (N/N₀)
/// and a marker at the machine's core count: a profile that hugs the ideal line scales; one that bends away has hit a
/// shared limit.</item>
/// <item><b>scaling</b>: one profile's measured throughput over instances against its bound (capacity N·k/S, or the
/// cores it may use × 1/cpu), linear scaling from its smallest fleet, the USL fit and the core count.</item>
/// <item><b>load curve</b>: throughput and Little's law's L/W (left) and mean and p99 latency (right) over concurrency
/// or rate on the fewest instances, on a log axis, with the bound of that fleet.</item>
/// <item><b>hockey stick</b>: p99 latency over the load each instance carried (log axis), one line per instance count,
/// so every fleet's curve gets the same room; the first run of a fresh fleet whose p99 stood out is marked.</item>
/// </list>
/// Every point's tooltip names its run, its load and the value with its unit.
/// </summary>
internal static class StudyCharts
{
    private const string IdealColour = "#9aa0a6";
    private const string BoundColour = "#d62728";
    private const string CoresColour = "#6b6b6b";
    private const string LittleColour = "#2ca02c";
    private const int FitSteps = 60;

    public static GenericChart Speedup(StudyAnalysis analysis)
    {
        var scaled = analysis.Profiles.Where(p => p.Scaling.Count >= 2).ToList();
        var fewest = scaled.Min(p => p.Scaling[0].Instances);
        var most = scaled.Max(p => p.Scaling[^1].Instances);
        var traces = new List<GenericChart>();
        for (var i = 0; i < scaled.Count; i++)
        {
            var profile = scaled[i];
            var colour = RunSeries.Palette[i % RunSeries.Palette.Count];
            var label = profile.Label(analysis.SeveralPolicies);
            if (profile.ScalingFit is { } fit)
            {
                var baseline = fit.Throughput(profile.Scaling[0].Instances);
                traces.Add(Curve(fit, profile.Scaling[0].Instances, most, x => baseline > 0 ? x / baseline : 0, $"{label}: USL fit", colour, "×"));
            }

            traces.Add(Measured(
                profile.Scaling.Select(s => (double)s.Instances),
                profile.Scaling.Select(s => s.Speedup),
                $"{label}: measured",
                colour,
                profile.Scaling.Select(s => Point(s.Best, F($"{s.Speedup:0.00}× ({NumberText.Rate(s.Throughput)} calls/s)")))));
        }

        var top = Math.Max(most / (double)fewest, scaled.Max(p => p.Scaling.Max(s => s.Speedup)));
        traces.AddRange(CoresMarker(analysis.Sweep.ProcessorCount, fewest, most, top));
        traces.Add(Ideal([fewest, most], n => n / fewest, "ideal (linear)", "×"));
        return ChartStyle.WholeNumbersOnX(ChartStyle.Axes(CSharpChart.Combine(traces), "server instances", "speedup (× the smallest fleet's throughput)"));
    }

    public static GenericChart Scaling(ProfileStudy profile, int cores)
    {
        var steps = profile.Scaling;
        var baseline = steps[0];
        var (first, last) = (baseline.Instances, steps[^1].Instances);
        var colour = RunSeries.Palette[0];
        var traces = new List<GenericChart>();
        if (profile.ScalingFit is { } fit)
        {
            traces.Add(Curve(fit, first, last, x => x, "USL fit", colour, "calls/s"));
        }

        var instances = Enumerable.Range(first, last - first + 1).Select(n => (double)n).ToList();
        var bounds = instances.Select(n => profile.Bound((int)n, cores)).ToList();
        if (bounds.All(b => b is not null))
        {
            traces.Add(BoundLine(instances, bounds!, BoundName(bounds[^1]!, "N", cores, profile)));
        }

        traces.Add(Measured(
            steps.Select(s => (double)s.Instances),
            steps.Select(s => s.Throughput),
            "measured (best load per fleet)",
            colour,
            steps.Select(s => Point(s.Best, NumberText.Rate(s.Throughput) + " calls/s"))));
        var top = Math.Max(last / (double)first * baseline.Throughput, bounds.Concat([null]).Max(b => b?.CallsPerSecond ?? 0));
        traces.AddRange(CoresMarker(cores, first, last, Math.Max(top, steps.Max(s => s.Throughput))));
        traces.Add(Ideal([first, last], n => n / first * baseline.Throughput, "ideal (linear from the smallest fleet)", "calls/s"));
        return ChartStyle.WholeNumbersOnX(ChartStyle.Axes(CSharpChart.Combine(traces), "server instances", "successful calls/s"));
    }

    public static GenericChart LoadCurve(ProfileStudy profile, int cores)
    {
        var curve = profile.LoadCurve;
        var loads = curve.Select(c => c.Cell.Load).ToList();
        var left = new List<GenericChart>();
        if (profile.Bound(curve[0].Cell.Instances, cores) is { } bound)
        {
            left.Add(BoundLine([loads[0], loads[^1]], [bound, bound], BoundName(bound, curve[0].Cell.Instances.ToString(CultureInfo.InvariantCulture), cores, profile)));
        }

        left.Add(Measured(loads, curve.Select(c => c.Throughput), "throughput (calls/s)", RunSeries.Palette[0], curve.Select(c => Point(c, NumberText.Rate(c.Throughput) + " calls/s"))));
        // Markers only, large, open and in their own colour, drawn after the throughput: where the law holds they ring
        // its points.
        left.Add(Markers(
            loads,
            curve.Select(c => c.LittleThroughput),
            "Little's law L/W (calls/s)",
            "diamond-open",
            LittleColour,
            curve.Select(c => Point(c, F($"L/W = {c.InFlight:0.#} / {NumberText.Millis(c.MeanLatencyMs)} ms = {NumberText.Rate(c.LittleThroughput)} calls/s")))));

        var right = CSharpChart.Combine(
        [
            Measured(loads, curve.Select(c => c.MeanLatencyMs), "mean latency (ms)", RunSeries.Palette[1], curve.Select(c => Point(c, "mean " + NumberText.Millis(c.MeanLatencyMs) + " ms")), StyleParam.DrawingStyle.Dash),
            Measured(loads, curve.Select(c => c.P99Ms), "p99 latency (ms)", RunSeries.Palette[2], curve.Select(c => Point(c, "p99 " + NumberText.Millis(c.P99Ms) + " ms")), StyleParam.DrawingStyle.DashDot),
        ]);
        var chart = CSharpChart.Combine(left.Append(ChartStyle.OnSecondAxis(right)));
        return ChartStyle.WithSecondAxis(TicksAt(ChartStyle.Axes(chart, LoadAxis(profile, "in total"), "successful calls/s", logX: true), loads), "latency (ms)");
    }

    public static GenericChart HockeyStick(ProfileStudy profile)
    {
        var fleets = profile.Cells.GroupBy(c => c.Cell.Instances).OrderBy(g => g.Key).ToList();
        var traces = fleets.Select((fleet, i) => Measured(
            fleet.Select(PerInstance),
            fleet.Select(c => c.P99Ms),
            $"{fleet.Key} instance{(fleet.Key == 1 ? "" : "s")}: p99",
            RunSeries.Palette[i % RunSeries.Palette.Count],
            fleet.Select(c => Point(c, "p99 " + NumberText.Millis(c.P99Ms) + " ms" + (c.Cell.FreshFleet ? " (first run on a fresh fleet)" : ""))))).ToList();
        if (profile.ColdStarts.Count > 0)
        {
            traces.Add(Markers(
                profile.ColdStarts.Select(PerInstance),
                profile.ColdStarts.Select(c => c.P99Ms),
                "first run on a fresh fleet (see the note)",
                "circle-open",
                BoundColour,
                profile.ColdStarts.Select(c => Point(c, "p99 " + NumberText.Millis(c.P99Ms) + " ms on a fresh fleet"))));
        }

        var loads = profile.Cells.Select(PerInstance).Distinct().Order().ToList();
        return TicksAt(ChartStyle.Axes(CSharpChart.Combine(traces), LoadAxis(profile, "per instance"), "p99 latency (ms)", logX: true), loads);
    }

    private static double PerInstance(CellFigures cell) => cell.Cell.Load / cell.Cell.Instances;

    private static string LoadAxis(ProfileStudy profile, string scope) =>
        profile.OpenModel ? $"offered load (calls/s, {scope}; log scale)" : $"concurrency (calls in flight, {scope}; log scale)";

    // The tooltip's first line: the run and its load.
    private static string Point(CellFigures cell, string value) =>
        $"{Html.Html.Encode(cell.Cell.RunFolder)}<br>{cell.Cell.Instances} instance{(cell.Cell.Instances == 1 ? "" : "s")}, {cell.Cell.LoadText}<br>{Html.Html.Encode(value)}";

    private static GenericChart Measured(IEnumerable<double> x, IEnumerable<double> y, string name, string colour, IEnumerable<string> hover, StyleParam.DrawingStyle? dash = null) =>
        WithHover(
            CSharpChart.Line<double, double, string>(
                x: x,
                y: y,
                ShowMarkers: true,
                Name: Html.Html.Encode(name),
                LineColor: Color.fromString(colour),
                LineDash: dash is { } d ? d : StyleParam.DrawingStyle.Solid),
            hover);

    private static GenericChart Ideal(double[] ends, Func<double, double> value, string name, string unit) =>
        WithTemplate(
            CSharpChart.Line<double, double, string>(x: ends, y: ends.Select(value), Name: Html.Html.Encode(name), LineColor: Color.fromString(IdealColour), LineWidth: 3, LineDash: StyleParam.DrawingStyle.Dash),
            $"{Html.Html.Encode(name)}<br>%{{x}} instances: %{{y:.2f}} {unit}");

    // The bound as a line: what the fleet could serve at most, by construction.
    private static GenericChart BoundLine(IReadOnlyList<double> x, IReadOnlyList<WorkBound> bounds, string name) =>
        WithHover(
            CSharpChart.Line<double, double, string>(x: x, y: bounds.Select(b => b.CallsPerSecond), Name: Html.Html.Encode(name), LineColor: Color.fromString(BoundColour), LineDash: StyleParam.DrawingStyle.LongDash),
            bounds.Select(b => Html.Html.Encode($"{b.Name}: {b.Formula}")));

    private static string BoundName(WorkBound bound, string instances, int cores, ProfileStudy profile) => bound.Kind == BoundKind.Capacity
        ? F($"capacity bound N·k/S ({instances} × {profile.Work!.Capacity} / {NumberText.Millis((profile.Work.Delay + profile.Work.Cpu).TotalMilliseconds)} ms)")
        : profile.Work!.Pin
            ? F($"cores bound min(N, {cores}) × 1/cpu (1 / {NumberText.Millis(profile.Work.Cpu.TotalMilliseconds)} ms per core)")
            : F($"cores bound {cores} × 1/cpu (1 / {NumberText.Millis(profile.Work.Cpu.TotalMilliseconds)} ms per core)");

    // A vertical line at the machine's core count, where it falls among the fleets measured: beyond it, instances
    // bring no core of their own.
    private static IEnumerable<GenericChart> CoresMarker(int cores, int first, int last, double height)
    {
        if (cores < first || cores > last)
        {
            yield break;
        }

        var name = F($"{cores} cores (this machine)");
        yield return WithTemplate(
            CSharpChart.Line<double, double, string>(x: [cores, cores], y: [0, height], Name: Html.Html.Encode(name), LineColor: Color.fromString(CoresColour), LineDash: StyleParam.DrawingStyle.Dot),
            Html.Html.Encode(name));
    }

    // The fit drawn as a smooth curve between the fleets measured, not only at them; thin, so the ideal line shows above it.
    private static GenericChart Curve(UslModel fit, double from, double to, Func<double, double> scale, string name, string colour, string unit)
    {
        var x = Enumerable.Range(0, FitSteps + 1).Select(i => from + ((to - from) * i / FitSteps)).ToList();
        return WithTemplate(
            CSharpChart.Line<double, double, string>(x: x, y: x.Select(n => scale(fit.Throughput(n))), Name: Html.Html.Encode(name), LineColor: Color.fromString(colour), LineWidth: 1.5, LineDash: StyleParam.DrawingStyle.Dot),
            $"{Html.Html.Encode(name)}<br>%{{x:.1f}} instances: %{{y:.2f}} {unit}");
    }

    private static GenericChart Markers(IEnumerable<double> x, IEnumerable<double> y, string name, string symbol, string colour, IEnumerable<string> hover)
    {
        var marker = new Plotly.NET.TraceObjects.Marker();
        marker.SetProperty("symbol", symbol);
        marker.SetProperty("size", 13);
        marker.SetProperty("color", colour);
        marker.SetProperty("line", new Dictionary<string, object> { ["width"] = 2, ["color"] = colour });
        var points = CSharpChart.Point<double, double, string>(x: x, y: y, Name: Html.Html.Encode(name), Marker: marker);
        return WithHover(points, hover);
    }

    // A log axis labelled at the loads measured only: plotly's own log ticks label every digit in between.
    private static GenericChart TicksAt(GenericChart chart, IReadOnlyList<double> loads)
    {
        var axis = new Plotly.NET.LayoutObjects.LinearAxis();
        axis.SetProperty("tickvals", loads);
        axis.SetProperty("ticktext", loads.Select(l => l.ToString("0.##", CultureInfo.InvariantCulture)).ToArray());
        return Plotly.NET.Chart.withXAxis(axis, FSharpOption<StyleParam.SubPlotId>.None).Invoke(chart);
    }

    // Per-point tooltips: each point's own text, without the trace's name box repeating the legend.
    private static GenericChart WithHover(GenericChart chart, IEnumerable<string> text)
    {
        var lines = text.ToArray();
        return Map(chart, trace =>
        {
            trace.SetProperty("text", lines);
            trace.SetProperty("hovertemplate", "%{text}<extra></extra>");
        });
    }

    private static GenericChart WithTemplate(GenericChart chart, string template) =>
        Map(chart, trace => trace.SetProperty("hovertemplate", template + "<extra></extra>"));

    private static GenericChart Map(GenericChart chart, Action<Trace> set) =>
        GenericChart.mapTrace(
            FuncConvert.FromFunc<Trace, Trace>(trace =>
            {
                set(trace);
                return trace;
            }),
            chart);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

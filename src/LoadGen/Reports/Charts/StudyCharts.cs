using GrpcLoadLab.LoadGen.Study;
using Plotly.NET;
using Plotly.NET.CSharp;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace GrpcLoadLab.LoadGen.Reports.Charts;

/// <summary>
/// The study report's charts, built from a <see cref="StudyAnalysis"/>.
/// <list type="bullet">
/// <item><b>speedup</b>: X(N)/X(N₀) over instances for every profile, against the ideal line (N/N₀) and each profile's
/// USL curve: a profile that hugs the ideal line scales; one that bends away has hit a shared limit.</item>
/// <item><b>scaling</b>: one profile's measured throughput over instances, linear scaling from its smallest fleet,
/// and the USL fit.</item>
/// <item><b>load curve</b>: throughput (left) and mean and p99 latency (right) over concurrency or rate on the fewest
/// instances, with Little's law's L/W beside the measured throughput.</item>
/// <item><b>hockey stick</b>: p99 latency over offered load, one line per instance count: flat while there is
/// capacity, then steep.</item>
/// </list>
/// </summary>
internal static class StudyCharts
{
    private const string IdealColour = "#9aa0a6";

    public static GenericChart Speedup(StudyAnalysis analysis)
    {
        var scaled = analysis.Profiles.Where(p => p.Scaling.Count >= 2).ToList();
        var fewest = scaled.Min(p => p.Scaling[0].Instances);
        var most = scaled.Max(p => p.Scaling[^1].Instances);
        var traces = new List<GenericChart> { Ideal([fewest, most], n => n / fewest, "ideal (linear)") };
        for (var i = 0; i < scaled.Count; i++)
        {
            var profile = scaled[i];
            var colour = RunSeries.Palette[i % RunSeries.Palette.Count];
            var label = profile.Label(analysis.SeveralPolicies);
            traces.Add(Measured(profile.Scaling.Select(s => (double)s.Instances), profile.Scaling.Select(s => s.Speedup), $"{label}: measured", colour));
            if (profile.ScalingFit is { } fit)
            {
                var baseline = fit.Throughput(profile.Scaling[0].Instances);
                traces.Add(Curve(fit, profile.Scaling[0].Instances, most, x => baseline > 0 ? x / baseline : 0, $"{label}: USL fit", colour));
            }
        }

        return ChartStyle.WholeNumbersOnX(ChartStyle.Axes(CSharpChart.Combine(traces), "server instances", "speedup (× the smallest fleet's throughput)"));
    }

    public static GenericChart Scaling(ProfileStudy profile)
    {
        var steps = profile.Scaling;
        var baseline = steps[0];
        var colour = RunSeries.Palette[0];
        var traces = new List<GenericChart>
        {
            Ideal([baseline.Instances, steps[^1].Instances], n => n / baseline.Instances * baseline.Throughput, "ideal (linear from the smallest fleet)"),
            Measured(steps.Select(s => (double)s.Instances), steps.Select(s => s.Throughput), "measured (best load per fleet)", colour),
        };
        if (profile.ScalingFit is { } fit)
        {
            traces.Add(Curve(fit, baseline.Instances, steps[^1].Instances, x => x, "USL fit", colour));
        }

        return ChartStyle.WholeNumbersOnX(ChartStyle.Axes(CSharpChart.Combine(traces), "server instances", "successful calls/s"));
    }

    public static GenericChart LoadCurve(ProfileStudy profile)
    {
        var curve = profile.LoadCurve;
        var loads = curve.Select(c => c.Cell.Load).ToList();
        var left = new List<GenericChart> { Measured(loads, curve.Select(c => c.Throughput), "throughput (calls/s)", RunSeries.Palette[0]) };
        if (!profile.OpenModel)
        {
            left.Add(Dashed(loads, curve.Select(c => c.LittleThroughput), "Little's law L/W (calls/s)", RunSeries.Palette[0], StyleParam.DrawingStyle.Dot));
        }

        var right = CSharpChart.Combine(
        [
            Dashed(loads, curve.Select(c => c.MeanLatencyMs), "mean latency (ms)", RunSeries.Palette[1], StyleParam.DrawingStyle.Dash),
            Dashed(loads, curve.Select(c => c.P99Ms), "p99 latency (ms)", RunSeries.Palette[2], StyleParam.DrawingStyle.DashDot),
        ]);
        var chart = CSharpChart.Combine(left.Append(ChartStyle.OnSecondAxis(right)));
        return ChartStyle.WithSecondAxis(ChartStyle.Axes(chart, LoadAxis(profile), "successful calls/s"), "latency (ms)");
    }

    public static GenericChart HockeyStick(ProfileStudy profile)
    {
        var fleets = profile.Cells.GroupBy(c => c.Cell.Instances).OrderBy(g => g.Key).ToList();
        var traces = fleets.Select((fleet, i) => Measured(
            fleet.Select(c => c.Cell.Load),
            fleet.Select(c => c.P99Ms),
            $"{fleet.Key} instance{(fleet.Key == 1 ? "" : "s")}: p99",
            RunSeries.Palette[i % RunSeries.Palette.Count]));
        return ChartStyle.Axes(CSharpChart.Combine(traces), LoadAxis(profile), "p99 latency (ms)");
    }

    private static string LoadAxis(ProfileStudy profile) =>
        profile.OpenModel ? "offered load (calls/s, in total)" : "concurrency (calls in flight, in total)";

    private static GenericChart Measured(IEnumerable<double> x, IEnumerable<double> y, string name, string colour) =>
        CSharpChart.Line<double, double, string>(x: x, y: y, ShowMarkers: true, Name: Html.Html.Encode(name), LineColor: Color.fromString(colour));

    private static GenericChart Dashed(IEnumerable<double> x, IEnumerable<double> y, string name, string colour, StyleParam.DrawingStyle dash) =>
        CSharpChart.Line<double, double, string>(x: x, y: y, ShowMarkers: true, Name: Html.Html.Encode(name), LineColor: Color.fromString(colour), LineDash: dash);

    private static GenericChart Ideal(double[] ends, Func<double, double> value, string name) =>
        CSharpChart.Line<double, double, string>(x: ends, y: ends.Select(value), Name: Html.Html.Encode(name), LineColor: Color.fromString(IdealColour), LineDash: StyleParam.DrawingStyle.Dash);

    // The fit drawn as a smooth curve between the fleets measured, not only at them.
    private static GenericChart Curve(UslModel fit, double from, double to, Func<double, double> scale, string name, string colour)
    {
        const int Steps = 60;
        var x = Enumerable.Range(0, Steps + 1).Select(i => from + ((to - from) * i / Steps)).ToList();
        return CSharpChart.Line<double, double, string>(x: x, y: x.Select(n => scale(fit.Throughput(n))), Name: Html.Html.Encode(name), LineColor: Color.fromString(colour), LineDash: StyleParam.DrawingStyle.Dot);
    }
}

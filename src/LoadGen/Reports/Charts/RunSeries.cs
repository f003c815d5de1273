using GrpcLoadLab.LoadGen.Results;
using Plotly.NET;
using Plotly.NET.CSharp;

namespace GrpcLoadLab.LoadGen.Reports.Charts;

/// <summary>
/// A run as a chart shows it. One report draws one run with an empty label; a comparison draws several, each
/// trace named after its run, on the same axes (x = seconds from each run's own start).
/// </summary>
internal sealed record RunSeries(string Label, RunResult Result)
{
    /// <summary>One colour per run in an overlay (Tableau 10), so that all of a run's lines read as one.</summary>
    public static IReadOnlyList<string> Palette { get; } =
        ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

    /// <summary>The run's colour in an overlay; null in a one-run report, where each line keeps its own colour.</summary>
    public string? Colour { get; init; }

    /// <summary>
    /// How a line is drawn: in an overlay the colour names the run and the dash names the measure; in a one-run report
    /// lines are solid, with <paramref name="dash"/> marking a secondary measure (the target load).
    /// </summary>
    public StyleParam.DrawingStyle Dash(StyleParam.DrawingStyle inOverlay, bool dash = false) =>
        Colour is null ? (dash ? StyleParam.DrawingStyle.Dash : StyleParam.DrawingStyle.Solid) : inOverlay;

    public Optional<Color> LineColour => Colour is { } colour ? new Optional<Color>(Color.fromString(colour), true) : default;

    /// <summary>A trace's legend name; encoded, since plotly.js reads some HTML in names.</summary>
    public string Name(string what) => Html.Html.Encode(Label.Length == 0 ? what : $"{Label}: {what}");

    /// <summary>The run's seconds that the time charts draw, with their real spans.</summary>
    public IReadOnlyList<TimedSecond> Seconds { get; } = TimedSecond.Of(Result.Timeline);

    public static IReadOnlyList<RunSeries> Single(RunResult result) => [new("", result)];
}

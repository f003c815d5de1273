using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Reports.Charts;

/// <summary>
/// A run as a chart shows it. One report draws one run with an empty label; a comparison draws several, each
/// trace named after its run, on the same axes (x = seconds from each run's own start).
/// </summary>
internal sealed record RunSeries(string Label, RunResult Result)
{
    /// <summary>A trace's legend name; encoded, since plotly.js reads some HTML in names.</summary>
    public string Name(string what) => Html.Html.Encode(Label.Length == 0 ? what : $"{Label}: {what}");

    public static IReadOnlyList<RunSeries> Single(RunResult result) => [new("", result)];
}

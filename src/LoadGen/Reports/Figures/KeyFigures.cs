using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Reports.Figures;

/// <summary>
/// The figures that sum a run up, each with the direction that makes it better: the report's summary, the index's
/// columns and the comparison's delta table all read this one list.
/// </summary>
internal static class KeyFigures
{
    public static IReadOnlyList<KeyFigure> All { get; } =
    [
        new("callsPerSecond", "calls/s", "", Better.Higher, r => r.Totals.CallsPerSecond),
        new("p50", "p50", "ms", Better.Lower, r => Millis(r.Totals.Latency, h => h.P50)),
        new("p90", "p90", "ms", Better.Lower, r => Millis(r.Totals.Latency, h => h.P90)),
        new("p99", "p99", "ms", Better.Lower, r => Millis(r.Totals.Latency, h => h.P99)),
        new("p999", "p99.9", "ms", Better.Lower, r => Millis(r.Totals.Latency, h => h.P999)),
        new("max", "max", "ms", Better.Lower, r => Millis(r.Totals.Latency, h => h.Max)),
        new("errorRate", "errors", "%", Better.Lower, r => r.Totals.ErrorRate * 100),
        new("failed", "failed calls", "", Better.Lower, r => r.Totals.Calls.Failed),
        new("dropped", "dropped calls", "", Better.Lower, r => r.Totals.Calls.Dropped),
        new("serviceP99", "service time p99", "ms", Better.Lower, r => r.Totals.ScheduleLag is null ? null : Millis(r.Totals.ServiceTime, h => h.P99)),
        new("scheduleLagP99", "schedule lag p99", "ms", Better.Lower, r => r.Totals.ScheduleLag is { } lag ? Millis(lag, h => h.P99) : null),
        new("firstMessageP99", "first message p99", "ms", Better.Lower, r => r.Totals.FirstMessage is { } h ? Millis(h, x => x.P99) : null),
        new("messageLatencyP99", "message latency p99", "ms", Better.Lower, r => r.Totals.MessageLatency is { } h ? Millis(h, x => x.P99) : null),
    ];

    /// <summary>The figures every run has a value for, in order.</summary>
    public static IReadOnlyList<KeyFigure> For(IEnumerable<RunResult> runs) =>
        [.. All.Where(figure => runs.All(run => figure.Value(run) is not null))];

    private static double? Millis(HistogramSummary histogram, Func<HistogramSummary, long> value) =>
        histogram.Count == 0 ? null : value(histogram) / 1000.0;
}

/// <summary>Which way a figure improves.</summary>
internal enum Better
{
    Higher,
    Lower,
}

/// <summary>One key figure: its id (for embedded data), label, unit, direction and how to read it from a run.</summary>
internal sealed record KeyFigure(string Id, string Label, string Unit, Better Better, Func<RunResult, double?> Value)
{
    /// <summary>A change smaller than this share of the baseline is run-to-run noise on a shared machine: "same".</summary>
    public const double SameWithin = 0.01;

    /// <summary>"better", "worse" or "same" for a change from <paramref name="baseline"/> to <paramref name="value"/>.</summary>
    public string Judge(double baseline, double value) =>
        Math.Abs(value - baseline) <= SameWithin * Math.Abs(baseline) ? "same"
        : (value > baseline) == (Better == Better.Higher) ? "better" : "worse";

    public string Format(double? value) =>
        value is not { } v ? "-"
        : Unit == "ms" ? Terminal.TerminalFormat.Millis(v)
        : Unit == "%" ? Terminal.TerminalFormat.Number(Math.Round(v, 3)) + "%"
        : Id == "callsPerSecond" ? Terminal.TerminalFormat.Rate(v)
        : Terminal.TerminalFormat.Count((long)v);
}

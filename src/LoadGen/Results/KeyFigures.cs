namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// The figures that sum a run up, each with the direction that makes it better and how its numbers are written: the
/// report's summary, the index's columns, the comparison's delta table and the index's own comparison (which reads
/// this rule as data) all follow this one list.
/// </summary>
internal static class KeyFigures
{
    private static readonly NumberFormat Millis = NumberFormat.Millis;
    private static readonly NumberFormat Rate = NumberFormat.Rate;
    private static readonly NumberFormat Count = NumberFormat.Count;
    private static readonly NumberFormat Percent = new([new(null, 3)]) { TrimZeros = true, Suffix = "%" };

    public static IReadOnlyList<KeyFigure> All { get; } =
    [
        new("callsPerSecond", "calls/s", "", Better.Higher, Rate, r => r.Totals.CallsPerSecond),
        new("p50", "p50", "ms", Better.Lower, Millis, r => Latency(r.Totals.Latency, h => h.P50)),
        new("p90", "p90", "ms", Better.Lower, Millis, r => Latency(r.Totals.Latency, h => h.P90)),
        new("p99", "p99", "ms", Better.Lower, Millis, r => Latency(r.Totals.Latency, h => h.P99)),
        new("p999", "p99.9", "ms", Better.Lower, Millis, r => Latency(r.Totals.Latency, h => h.P999)),
        new("max", "max", "ms", Better.Lower, Millis, r => Latency(r.Totals.Latency, h => h.Max)),
        new("errorRate", "errors", "%", Better.Lower, Percent, r => r.Totals.ErrorRate * 100),
        new("failed", "failed calls", "", Better.Lower, Count, r => r.Totals.Calls.Failed),
        new("dropped", "dropped calls", "", Better.Lower, Count, r => r.Totals.Calls.Dropped),
        new("serviceP99", "service time p99", "ms", Better.Lower, Millis, r => r.Totals.ScheduleLag is null ? null : Latency(r.Totals.ServiceTime, h => h.P99)),
        new("scheduleLagP99", "schedule lag p99", "ms", Better.Lower, Millis, r => r.Totals.ScheduleLag is { } lag ? Latency(lag, h => h.P99) : null),
        new("firstMessageP99", "first message p99", "ms", Better.Lower, Millis, r => r.Totals.FirstMessage is { } h ? Latency(h, x => x.P99) : null),
        new("messageLatencyP99", "message latency p99", "ms", Better.Lower, Millis, r => r.Totals.MessageLatency is { } h ? Latency(h, x => x.P99) : null),
    ];

    /// <summary>The figure named <paramref name="id"/>.</summary>
    public static KeyFigure Get(string id) => All.Single(figure => figure.Id == id);

    /// <summary>The figures every run has a value for, in order.</summary>
    public static IReadOnlyList<KeyFigure> For(IEnumerable<RunResult> runs) =>
        [.. All.Where(figure => runs.All(run => figure.Value(run) is not null))];

    private static double? Latency(HistogramSummary histogram, Func<HistogramSummary, long> value) =>
        histogram.Count == 0 ? null : value(histogram) / 1000.0;
}

/// <summary>Which way a figure improves.</summary>
internal enum Better
{
    Higher,
    Lower,
}

/// <summary>One key figure: its id (for embedded data), label, unit, direction, number format and how to read it from a run.</summary>
internal sealed record KeyFigure(string Id, string Label, string Unit, Better Better, NumberFormat Numbers, Func<RunResult, double?> Value)
{
    /// <summary>A change smaller than this share of the baseline is run-to-run noise on a shared machine: "same".</summary>
    public const double SameWithin = 0.01;

    /// <summary>How a change's share of the baseline is written: one decimal, in %.</summary>
    public static NumberFormat ChangePercent { get; } = new([new(null, 1)]) { TrimZeros = true, Suffix = "%" };

    /// <summary>What a judged change is marked with, by its judgement.</summary>
    public static IReadOnlyDictionary<string, string> Marks { get; } = new Dictionary<string, string>
    {
        ["better"] = "▲ better",
        ["worse"] = "▼ worse",
        ["same"] = "= same",
    };

    /// <summary>The label with its unit, as a table's first column or header names it: <c>p99 (ms)</c>.</summary>
    public string Heading => Unit.Length > 0 ? $"{Label} ({Unit})" : Label;

    /// <summary>"better", "worse" or "same" for a change from <paramref name="baseline"/> to <paramref name="value"/>.</summary>
    public string Judge(double baseline, double value) =>
        Math.Abs(value - baseline) <= SameWithin * Math.Abs(baseline) ? "same"
        : (value > baseline) == (Better == Better.Higher) ? "better" : "worse";

    public string Format(double? value) => value is { } v ? Numbers.Format(v) : "-";

    /// <summary>The change, signed, and in % of the baseline when that is not zero: <c>−3.2 (−12.5%)</c>.</summary>
    public string Delta(double baseline, double value)
    {
        var change = value - baseline;
        var sign = change > 0 ? "+" : change < 0 ? "−" : "±";
        var percent = baseline == 0 ? "" : " (" + sign + ChangePercent.Format(Math.Abs(change) / Math.Abs(baseline) * 100) + ")";
        return sign + Format(Math.Abs(change)) + percent;
    }

    /// <summary>The delta and its mark, as a comparison's cell shows them: <c>+5.1 (+2.3%) ▲ better</c>.</summary>
    public string Change(double baseline, double value) => $"{Delta(baseline, value)} {Marks[Judge(baseline, value)]}";
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace GrpcLoadLab.LoadGen.Scenarios.Thresholds;

/// <summary>
/// A pass/fail rule on a run's totals, written <c>METRIC OP VALUE</c>: <c>p99 &lt; 50ms</c>, <c>mean &lt;= 2ms</c>,
/// <c>errors &lt; 1%</c>, <c>errors &lt;= 10</c>, <c>rps &gt; 1000</c>, <c>dropped &lt; 1</c>.
/// </summary>
public sealed partial class Threshold
{
    private const string Grammar = "write METRIC OP VALUE with OP one of <, <=, >, >= — e.g. p99 < 50ms or errors < 1%";
    private const string Metrics = "p50, p90, p99, p99.9 (any pNN between 0 and 100), mean, max, errors, rps or dropped";

    private static readonly Dictionary<string, Func<double, double, bool>> Operators = new(StringComparer.Ordinal)
    {
        ["<"] = (actual, limit) => actual < limit,
        ["<="] = (actual, limit) => actual <= limit,
        [">"] = (actual, limit) => actual > limit,
        [">="] = (actual, limit) => actual >= limit,
    };

    private static readonly Dictionary<string, double> LatencyUnitMicros = new(StringComparer.Ordinal)
    {
        ["us"] = 1,
        ["ms"] = 1_000,
        ["s"] = 1_000_000,
    };

    private readonly Func<double, double, bool> _holds;
    private readonly Measure _measure;
    private readonly double _limit;

    private Threshold(string text, string op, decimal value, Measure measure)
    {
        Text = text;
        _holds = Operators[op];
        _measure = measure;
        // In base units (microseconds for latency), scaled in decimal: 1.001 * 1e6 in double is 1000999.9999999999,
        // and a max of exactly 1001000us would fail "max <= 1.001s".
        _limit = (double)(value * (decimal)measure.UnitSize);
    }

    /// <summary>The threshold as written.</summary>
    public string Text { get; }

    /// <summary>The unit its value and the measured value are given in: <c>ms</c>, <c>%</c>, <c>calls</c>, <c>calls/s</c>...</summary>
    public string Unit => _measure.Unit;

    public static bool TryParse(string text, out Threshold? threshold, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = Read(text.Trim(), out threshold) is { } problem ? $"threshold '{text.Trim()}': {problem}" : null;
        return error is null;
    }

    /// <summary>Parses a threshold the scenario has already validated; throws <see cref="FormatException"/> otherwise.</summary>
    public static Threshold Parse(string text) =>
        TryParse(text, out var threshold, out var error) ? threshold! : throw new FormatException(error);

    /// <summary>The measured value, in <see cref="Unit"/>, and whether the threshold held on it.</summary>
    public (double Actual, bool Passed) Evaluate(ThresholdInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var measured = _measure.Of(inputs);
        return (measured / _measure.UnitSize, _holds(measured, _limit));
    }

    [GeneratedRegex(@"^(?<metric>[A-Za-z][A-Za-z0-9.]*)\s*(?<op><=|>=|<|>)\s*(?<value>[-+]?(\d+(\.\d*)?|\.\d+))\s*(?<unit>[A-Za-z%/]*)$")]
    private static partial Regex Shape();

    /// <returns>What is wrong with <paramref name="text"/>, or null when <paramref name="threshold"/> is set.</returns>
    private static string? Read(string text, out Threshold? threshold)
    {
        threshold = null;
        var match = Shape().Match(text);
        if (!match.Success)
        {
            return Grammar;
        }

        // The pattern took a number: one that decimal cannot hold is only too large.
        if (!decimal.TryParse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return $"the value {Limits.ThresholdValue.Refusal}";
        }

        var written = new Written(match.Groups["metric"].Value.ToLowerInvariant(), match.Groups["op"].Value, value, match.Groups["unit"].Value.ToLowerInvariant());
        if (written.Value < 0)
        {
            return $"the value must not be negative, e.g. {written.Metric} {written.Op} {-written.Value}{written.Unit}";
        }

        // Bounded so that scaling it to base units (microseconds) cannot overflow.
        if (written.Value > Limits.ThresholdValue.Max)
        {
            return $"the value {Limits.ThresholdValue.Refusal}";
        }

        var (measure, problem) = written.Metric switch
        {
            "mean" => Latency(written, inputs => inputs.MeanMicros),
            "max" => Latency(written, inputs => inputs.MaxMicros),
            "errors" => Errors(written),
            "rps" => Rps(written),
            "dropped" => Count(written, inputs => inputs.Dropped),
            _ => Percentile(written),
        };
        threshold = measure is null ? null : new Threshold(text, written.Op, written.Value, measure);
        return problem;
    }

    private static (Measure?, string?) Latency(Written written, Func<ThresholdInputs, double> micros)
    {
        if (written.Unit.Length == 0)
        {
            return (null, $"give a unit (us, ms or s), e.g. {written.Metric} {written.Op} {written.Value.ToString(CultureInfo.InvariantCulture)}ms");
        }

        return LatencyUnitMicros.TryGetValue(written.Unit, out var unitMicros)
            ? (new Measure(micros, unitMicros, written.Unit), null)
            : (null, $"'{written.Unit}' is not a latency unit — use us, ms or s, e.g. {written.Metric} {written.Op} 50ms");
    }

    private static (Measure?, string?) Percentile(Written written)
    {
        if (!written.Metric.StartsWith('p')
            || !double.TryParse(written.Metric[1..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percentile))
        {
            return (null, $"'{written.Metric}' is not a metric — use {Metrics}");
        }

        return percentile is > 0 and <= 100
            ? Latency(written, inputs => inputs.PercentileMicros(percentile))
            : (null, $"'{written.Metric}' is not a percentile: the number after p must be more than 0 and at most 100, e.g. p99.9");
    }

    private static (Measure?, string?) Errors(Written written) => written.Unit switch
    {
        "" => Count(written, inputs => inputs.Failed),
        "%" when written.Value <= 100 => (new Measure(ErrorPercent, 1, "%"), null),
        "%" => (null, $"a percentage is at most 100, e.g. errors {written.Op} 1%"),
        _ => (null, $"errors takes a percentage of ended calls or a count of failed calls, e.g. errors {written.Op} 1% or errors {written.Op} 10"),
    };

    private static (Measure?, string?) Rps(Written written) => written.Unit.Length == 0
        ? (new Measure(inputs => inputs.CallsPerSecond, 1, "calls/s"), null)
        : (null, $"rps takes a number of calls a second, with no unit, e.g. rps {written.Op} 1000");

    private static (Measure?, string?) Count(Written written, Func<ThresholdInputs, double> calls) =>
        written.Unit.Length == 0 && written.Value % 1 == 0
            ? (new Measure(calls, 1, "calls"), null)
            : (null, $"{written.Metric} takes a whole number of calls, with no unit, e.g. {written.Metric} {written.Op} 10");

    // Of the calls that ended; no ended call means no error seen (rps and the run's validity speak to an empty run).
    private static double ErrorPercent(ThresholdInputs inputs)
    {
        var ended = inputs.Succeeded + inputs.Failed;
        return ended == 0 ? 0 : 100.0 * inputs.Failed / ended;
    }

    /// <summary>The parts of a threshold as written, lower-cased.</summary>
    private sealed record Written(string Metric, string Op, decimal Value, string Unit);

    /// <summary>How to measure a metric: in base units (microseconds for latency), and how many of those make one unit.</summary>
    private sealed record Measure(Func<ThresholdInputs, double> Of, double UnitSize, string Unit);
}

using System.CommandLine;
using System.CommandLine.Parsing;
using GrpcLoadLab.Common;
using GrpcLoadLab.LoadGen.Metrics;

namespace GrpcLoadLab.LoadGen.Commands;

/// <summary>
/// <c>loadgen run</c>'s export of its live metrics, off by default: <c>--otlp-endpoint URL</c> and
/// <c>--otlp-interval D</c>, with the server's spellings, ranges and refusals (<see cref="OtlpExportRules"/>).
/// </summary>
internal sealed class ExportFlags
{
    private static readonly string IntervalRange = $"from {Format(OtlpExportRules.ShortestInterval)} to {Format(OtlpExportRules.LongestInterval)}";

    public Option<Uri?> Endpoint { get; } = new(OtlpExportRules.EndpointOption)
    {
        Description = "Export the run's live metrics (calls, in flight, schedule lag, latency as an exponential histogram) to this OTLP collector over gRPC while it runs, e.g. http://127.0.0.1:4317. Default: off.",
        CustomParser = OtlpExportRules.ParseEndpoint,
    };

    public Option<TimeSpan?> Interval { get; } = new(OtlpExportRules.IntervalOption)
    {
        Description = $"How often the OTLP export sends, {IntervalRange}; only with {OtlpExportRules.EndpointOption}. Default: {Format(OtlpExportRules.DefaultInterval)}.",
        CustomParser = ParseInterval,
    };

    /// <summary>Adds the flags to <paramref name="command"/>, with the rule that the interval needs an endpoint.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Endpoint);
        command.Options.Add(Interval);
        command.Validators.Add(result =>
        {
            if (result.GetResult(Interval) is { Implicit: false } && result.GetResult(Endpoint) is null)
            {
                result.AddError(OtlpExportRules.IntervalWithoutEndpoint);
            }
        });
    }

    /// <summary>The export the flags ask for; null when there is none.</summary>
    public OtlpExportSettings? Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(Endpoint) is { } endpoint
            ? new OtlpExportSettings(endpoint, parse.GetValue(Interval) ?? OtlpExportRules.DefaultInterval)
            : null;
    }

    private static TimeSpan? ParseInterval(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (DurationParser.TryParse(text, out var interval) && interval >= OtlpExportRules.ShortestInterval && interval <= OtlpExportRules.LongestInterval)
        {
            return interval;
        }

        result.AddError($"{OtlpExportRules.IntervalOption} '{text}' is not a duration {IntervalRange}: {DurationParser.Hint}");
        return null;
    }

    private static string Format(TimeSpan duration) => Scenarios.Json.DurationJsonConverter.Format(duration);
}

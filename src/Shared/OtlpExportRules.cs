using System.CommandLine.Parsing;

namespace GrpcLoadLab.Common;

/// <summary>
/// The one rule for an OTLP export's options, <c>--otlp-endpoint URL</c> and <c>--otlp-interval D</c>: the server and
/// the load generator take the same spellings, ranges and refusals.
/// </summary>
public static class OtlpExportRules
{
    public const string EndpointOption = "--otlp-endpoint";
    public const string IntervalOption = "--otlp-interval";

    /// <summary>The refusal of an interval given without an endpoint.</summary>
    public const string IntervalWithoutEndpoint = $"{IntervalOption} needs {EndpointOption}: without a collector nothing is sent";

    public static readonly TimeSpan ShortestInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan LongestInterval = TimeSpan.FromHours(1);
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Why <paramref name="endpoint"/> cannot be an OTLP collector's address, or null when it can: http or https, a
    /// host, a port from 1 (0 is no collector's), and nothing that OTLP over gRPC would ignore (a path, a query, a user).
    /// </summary>
    public static string? EndpointProblem(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0
            && uri.Port > 0 && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
            ? null
            : $"{EndpointOption} '{endpoint}' is not an OTLP collector's address: give http://HOST:PORT (a port from 1 to 65535, no path), e.g. http://127.0.0.1:4317 (OTLP over gRPC)";

    /// <summary>The <c>--otlp-endpoint</c> option's parser: the collector's address, or null after adding the refusal.</summary>
    public static Uri? ParseEndpoint(ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (EndpointProblem(text) is { } problem)
        {
            result.AddError(problem);
            return null;
        }

        return new Uri(text, UriKind.Absolute);
    }
}

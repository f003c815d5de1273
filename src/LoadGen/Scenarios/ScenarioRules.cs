using System.Globalization;
using GrpcLoadLab.Balancer;
using GrpcLoadLab.Balancer.Targets;

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// The rule for each kind of value, shared by the scenario file and the command-line overrides: each returns what is
/// wrong and how to fix it, or null when the value is good.
/// </summary>
internal static class ScenarioRules
{
    /// <summary>The largest message the lab server accepts (gRPC's default receive limit).</summary>
    public const int MaxMessageSize = 4 * 1024 * 1024;

    private const int LongestName = 100;
    private const string FileScheme = "file:";

    public static string? Name(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "must not be empty — e.g. \"unary-closed\"";
        }

        // The name becomes part of the results folder's name.
        return name.Length <= LongestName && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? null
            : $"'{name}' must be at most {LongestName} letters, digits, '-', '_' or '.' (it names the results folder) — e.g. \"unary-closed\"";
    }

    public static string? Concurrency(int value) => value >= 1 ? null : "must be at least 1 call in flight (e.g. 16)";

    public static string? Rate(double value) =>
        value > 0 && double.IsFinite(value) ? null : "must be more than 0 calls a second (e.g. 100)";

    public static string? RampStartRate(double value) =>
        value >= 0 && double.IsFinite(value) ? null : "must be 0 or more calls a second (e.g. 0)";

    public static string? RampStartConcurrency(int value) => value >= 0 ? null : "must be 0 or more calls in flight (e.g. 0)";

    public static string? Duration(TimeSpan value) => value > TimeSpan.Zero ? null : "must be more than 0 (e.g. 10s)";

    public static string? NotNegative(TimeSpan value) => value >= TimeSpan.Zero ? null : "must not be negative (0s means none)";

    public static string? AtLeastOne(long value, string example) => value >= 1 ? null : $"must be at least 1 (e.g. {example})";

    public static string? Size(int value) =>
        value is >= 0 and <= MaxMessageSize
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"must be from 0 to {MaxMessageSize} bytes (4 MiB), e.g. 1024");

    public static string? NotEmpty(string value, string example) =>
        string.IsNullOrWhiteSpace(value) ? $"must not be empty — e.g. \"{example}\"" : null;

    /// <summary>
    /// Whether the balancer can make sense of the target. With <paramref name="checkFile"/> off, a <c>file:</c>
    /// registry need not exist yet: the run opens it (and says so if it is missing).
    /// </summary>
    public static string? Target(string address, bool checkFile)
    {
        if (!checkFile && address.StartsWith(FileScheme, StringComparison.Ordinal) && address[FileScheme.Length..].Trim().Length > 0)
        {
            return null;
        }

        try
        {
            BalancerTarget.Parse(address);
            return null;
        }
        catch (BalancerConfigurationException e)
        {
            return e.Message;
        }
    }
}

using System.Globalization;
using Grpc.Core;
using GrpcLoadLab.Balancer.Targets;
using GrpcLoadLab.LoadGen.Scenarios.Json;

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// The rule for each kind of value, shared by the scenario file and the command-line overrides: each returns what is
/// wrong and how to fix it, or null when the value is good.
/// </summary>
internal static class ScenarioRules
{
    /// <summary>The longest fault delay: the lab server's own bound (SetFault refuses more).</summary>
    private static readonly TimeSpan LongestFaultDelay = TimeSpan.FromHours(1);

    private const int LongestName = 100;

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

    public static string? Concurrency(int value) => Limits.Concurrency.Problem(value);

    public static string? Rate(double value) => Limits.Rate.Problem(value);

    public static string? RampStartRate(double value) => Limits.RampStartRate.Problem(value);

    public static string? RampStartConcurrency(int value) => Limits.RampStartConcurrency.Problem(value);

    /// <summary>A phase's length, a timeout, a deadline, a sweep's durations: more than 0, at most a day.</summary>
    public static string? Duration(TimeSpan value) => Limits.Positive(value, Limits.LongestDuration);

    /// <summary>Simulated work, the pause between messages: 0 (none) to an hour.</summary>
    public static string? Work(TimeSpan value) => Limits.NotNegative(value, Limits.LongestWork);

    public static string? Size(int value) => Limits.MessageSize.Problem(value);

    public static string? NotEmpty(string value, string example) =>
        string.IsNullOrWhiteSpace(value) ? $"must not be empty — e.g. \"{example}\"" : null;

    /// <summary>A fault's instance: the fleet script's number, the registry's line.</summary>
    public static string? Instance(int value) => Limits.Instance.Problem(value);

    /// <summary>A fault's time, from the run's start (warm-up included), within the run's planned length.</summary>
    public static string? FaultAt(TimeSpan at, TimeSpan runLength)
    {
        if (at < TimeSpan.Zero)
        {
            return "must not be negative: 0s is the start of the run (its warm-up included)";
        }

        return at < runLength
            ? null
            : $"must fall within the run's planned {DurationJsonConverter.Format(runLength)} (its phases, warm-up included), e.g. {DurationJsonConverter.Format(runLength / 2)}";
    }

    public static string? FaultUntil(TimeSpan until, TimeSpan at) =>
        until > at ? null : $"must be later than at ({DurationJsonConverter.Format(at)}) — or leave it out: the fault then lasts to the end of the run";

    /// <summary>The lab server's own bound on an extra delay (SetFault refuses more).</summary>
    public static string? FaultDelay(TimeSpan value) => Limits.Positive(value, LongestFaultDelay);

    public static string? FailureRatio(double value) => Limits.FailureRatio.Problem(value);

    public static string? FailureStatus(StatusCode status) =>
        status != StatusCode.OK ? null : "must be an error status, not OK — e.g. UNAVAILABLE or INVALID_ARGUMENT";

    /// <summary>
    /// Whether a fault can find its instance in the target: process actions need the fleet's registry (a <c>file:</c>
    /// target), whose lines are the fleet script's instances; slow and fail also work on a <c>static:</c> list, in order.
    /// </summary>
    public static string? FaultTarget(string action, bool processAction, TargetAddress address) => address.Kind switch
    {
        TargetKind.File => null,
        _ when processAction => $"'{action}' needs the fleet's registry as the target (target.address or --target file:PATH, e.g. file:.lab/servers.txt): the fleet script acts on the instances it lists",
        TargetKind.Static => null,
        _ => $"'{action}' needs a file: or static: target, whose servers are numbered in order; a dns: name has no such order",
    };
}

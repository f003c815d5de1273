using System.Globalization;
using GrpcLoadLab.LoadGen.Scenarios.Json;

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// The range of every number a scenario, a sweep or a flag of <c>loadgen</c> may hold: one table that the validators,
/// the command line, the JSON reader's messages and docs/limits.md (checked by a test) all read. The bounds keep
/// every value far inside what the code can represent (no overflow, no allocation sized by a typo) and inside what
/// one machine can do.
/// </summary>
public static class Limits
{
    /// <summary>The fleet script's own bound on instances.</summary>
    public const int MostInstances = 64;

    /// <summary>The largest message the lab server accepts (gRPC's default receive limit).</summary>
    public const int LargestMessage = 4 * 1024 * 1024;

    /// <summary>The longest phase, timeout, deadline or sweep duration: a day.</summary>
    public static readonly TimeSpan LongestDuration = TimeSpan.FromDays(1);

    /// <summary>The longest simulated work or pause of one message (and a fault's extra delay: the server's own bound).</summary>
    public static readonly TimeSpan LongestWork = TimeSpan.FromHours(1);

    public static readonly NumberRange Concurrency = new("concurrency", 1, 100_000, "calls in flight", "16");
    public static readonly NumberRange RampStartConcurrency = Concurrency with { Name = "ramp-concurrency from", Min = 0, Example = "0" };
    public static readonly NumberRange Rate = new("rate", 0, 1_000_000, "calls a second", "100") { MinExcluded = true };
    public static readonly NumberRange RampStartRate = Rate with { Name = "ramp-rate from", MinExcluded = false, Example = "0" };
    public static readonly NumberRange Iterations = new("iterations", 1, 1_000_000_000_000, "calls", "1000");
    public static readonly NumberRange MaxOutstanding = new("maxOutstanding", 1, 1_000_000, "calls in flight", "10000");
    public static readonly NumberRange MessageSize = new("requestSize, replySize", 0, LargestMessage, "bytes (4 MiB)", "1024");
    public static readonly NumberRange Messages = new("replies, messages", 1, 1_000_000, "messages", "10");
    public static readonly NumberRange ConnectionsPerEndpoint = new("connectionsPerEndpoint", 1, 1_000, "connections", "4");
    public static readonly NumberRange Seed = new("seed", int.MinValue, int.MaxValue, "", "1");
    public static readonly NumberRange Instance = new("faults: instance", 1, MostInstances, "(instances count from 1, as scripts/servers.sh does)", "2");
    public static readonly NumberRange FailureRatio = new("faults: ratio", 0, 1, "(the share of calls that fail: 0.3 fails 3 in 10)", "0.3") { MinExcluded = true };
    public static readonly NumberRange Instances = new("sweep: instances", 1, MostInstances, "instances (the fleet script's bound)", "4");
    public static readonly NumberRange BasePort = new("sweep: basePort", 1024, 65535 - MostInstances, "(the fleet takes the ports from it up)", "5301");
    public static readonly NumberRange Capacity = new("sweep: profiles capacity", 0, 100_000, "calls at once (0: unlimited)", "8");
    public static readonly NumberRange Queue = new("sweep: profiles queue", 0, 100_000, "waiting calls", "64");
    public static readonly NumberRange Agents = new("--agent N", 1, 1_000, "agents (K from 1 to N)", "3");
    public static readonly NumberRange ThresholdValue = new("threshold value", 0, 1_000_000_000, "(in the threshold's own unit; a percentage at most 100)", "50");

    /// <summary>Every number range, for docs/limits.md and its test.</summary>
    public static IReadOnlyList<NumberRange> Numbers { get; } =
    [
        Concurrency, RampStartConcurrency, Rate, RampStartRate, Iterations, MaxOutstanding, MessageSize, Messages,
        ConnectionsPerEndpoint, Seed, Instance, FailureRatio, Instances, BasePort, Capacity, Queue, Agents, ThresholdValue,
    ];

    /// <summary>
    /// The range of a whole number that a file gives under <paramref name="key"/>, for the message that refuses a value
    /// too large for the model to read at all (e.g. <c>"requestSize": 2147483648</c>); null for keys with no whole number.
    /// </summary>
    public static NumberRange? OfWholeNumberKey(string key) => key switch
    {
        "concurrency" or "to" => Concurrency,
        "from" => RampStartConcurrency,
        "iterations" => Iterations,
        "maxOutstanding" => MaxOutstanding,
        "requestSize" or "replySize" => MessageSize,
        "replies" or "messages" => Messages,
        "connectionsPerEndpoint" => ConnectionsPerEndpoint,
        "seed" => Seed,
        "instance" => Instance,
        "instances" => Instances,
        "basePort" => BasePort,
        "capacity" => Capacity,
        "queue" => Queue,
        _ => null,
    };

    /// <summary>A duration that must be more than 0 and at most <paramref name="longest"/>; null when it is.</summary>
    public static string? Positive(TimeSpan value, TimeSpan longest) =>
        value > TimeSpan.Zero && value <= longest
            ? null
            : $"must be more than 0 and at most {DurationJsonConverter.Format(longest)} (e.g. 10s)";

    /// <summary>
    /// The shortest re-resolution of a <c>dns:</c> target: grpc-dotnet's DNS resolver waits at least this long between
    /// two resolutions whatever it is asked, so a shorter interval would promise what does not happen.
    /// </summary>
    public static readonly TimeSpan ShortestDnsRefresh = TimeSpan.FromSeconds(15);

    /// <summary>A <c>dns:</c> target's re-resolution interval, 15 s to <see cref="LongestWork"/>; null when it is one.</summary>
    public static string? DnsRefresh(TimeSpan value) =>
        value >= ShortestDnsRefresh && value <= LongestWork
            ? null
            : $"must be from {DurationJsonConverter.Format(ShortestDnsRefresh)} to {DurationJsonConverter.Format(LongestWork)}: grpc-dotnet's DNS resolver waits at least 15s between two resolutions (e.g. 15s)";

    /// <summary>A duration that may be 0 (none) and at most <paramref name="longest"/>; null when it is.</summary>
    public static string? NotNegative(TimeSpan value, TimeSpan longest) =>
        value >= TimeSpan.Zero && value <= longest
            ? null
            : $"must be from 0s (none) to {DurationJsonConverter.Format(longest)}";
}

/// <summary>One kind of number's range, and the one line that refuses a value outside it.</summary>
/// <param name="Name">Where it is written (keys, flags), for docs/limits.md.</param>
/// <param name="Unit">What it counts, shown after the range.</param>
public sealed record NumberRange(string Name, decimal Min, decimal Max, string Unit, string Example)
{
    /// <summary>True when the range starts just above <see cref="Min"/> (a rate of 0 would start no call).</summary>
    public bool MinExcluded { get; init; }

    /// <summary>The bounds as words: "from 1 to 100000", "more than 0 and at most 1000000".</summary>
    public string Bounds => string.Create(
        CultureInfo.InvariantCulture,
        $"{(MinExcluded ? $"more than {Min} and at most" : $"from {Min} to")} {Max}");

    /// <summary>The range as words, with its unit: "from 1 to 100000 calls in flight".</summary>
    public string Text => Unit.Length == 0 ? Bounds : $"{Bounds} {Unit}";

    /// <summary>What is wrong with <paramref name="value"/>, or null when it is inside the range (NaN and infinities never are).</summary>
    public string? Problem(double value) =>
        double.IsFinite(value) && (MinExcluded ? value > (double)Min : value >= (double)Min) && value <= (double)Max ? null : Refusal;

    public string? Problem(long value) => (MinExcluded ? value > Min : value >= Min) && value <= Max ? null : Refusal;

    /// <summary>The one line that refuses a value outside the range.</summary>
    public string Refusal => $"must be {Text} (e.g. {Example})";
}

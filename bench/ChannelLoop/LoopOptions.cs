namespace GrpcLoadLab.Bench.ChannelLoop;

/// <summary>The command line of one run, checked before any call is sent.</summary>
/// <param name="Kind">unary, server-stream or bidi.</param>
/// <param name="Messages">Streams: replies of a server stream, or messages (each echoed) of a bidi stream.</param>
/// <param name="Interval">Streams: the server's awaited delay before each reply, which sets the messages a second of a stream.</param>
/// <param name="Rate">Unary calls a second of an open loop; null for the closed loop of <paramref name="Concurrency"/> workers.</param>
internal sealed record LoopOptions(
    string Mode,
    string? Target,
    IReadOnlyList<string> Addresses,
    int Concurrency,
    TimeSpan Duration,
    TimeSpan Warmup,
    string Kind,
    int Messages,
    TimeSpan Interval,
    int? Rate)
{
    public const string Usage =
        "usage: GrpcLoadLab.Bench.ChannelLoop --mode balanced --target file:PATH | --mode plain|grpc-round-robin "
        + "--addresses HOST:PORT,... [--concurrency C (1-1024 unary, 1-100000 streams; 64)] [--duration S (1-600, 10)] "
        + "[--warmup S (0-60, 2)] [--kind unary|server-stream|bidi] [--messages M (1-100000, 10)] [--interval-ms I (0-60000, 0)] "
        + "| --rate R (unary calls/s of an open loop, 1-100000, instead of --concurrency)";

    /// <summary>Returns the options, or null after printing what is wrong.</summary>
    public static LoopOptions? Parse(string[] args)
    {
        string? mode = null, target = null, addresses = null;
        string kind = "unary";
        int concurrency = 64, duration = 10, warmup = 2, messages = 10, intervalMs = 0, rate = 0;
        bool concurrencyGiven = false, rateGiven = false;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            var ok = args[i] switch
            {
                "--mode" => (mode = value) is "balanced" or "plain" or "grpc-round-robin",
                "--target" => (target = value).Length > 0,
                "--addresses" => (addresses = value).Length > 0,
                "--concurrency" => (concurrencyGiven = true) && int.TryParse(value, out concurrency) && concurrency is >= 1 and <= 100_000,
                "--rate" => (rateGiven = true) && int.TryParse(value, out rate) && rate is >= 1 and <= 100_000,
                "--duration" => int.TryParse(value, out duration) && duration is >= 1 and <= 600,
                "--warmup" => int.TryParse(value, out warmup) && warmup is >= 0 and <= 60,
                "--kind" => (kind = value) is "unary" or "server-stream" or "bidi",
                "--messages" => int.TryParse(value, out messages) && messages is >= 1 and <= 100_000,
                "--interval-ms" => int.TryParse(value, out intervalMs) && intervalMs is >= 0 and <= 60_000,
                _ => false,
            };
            if (!ok)
            {
                return Fail($"bad option '{args[i]} {value}'");
            }
        }

        if (args.Length % 2 != 0)
        {
            return Fail($"option '{args[^1]}' has no value");
        }

        if (rateGiven && (concurrencyGiven || kind != "unary"))
        {
            return Fail("--rate drives an open loop of unary calls: give it without --concurrency, and --kind only as unary");
        }

        if (kind == "unary" && concurrency > 1024)
        {
            return Fail("--concurrency must be 1-1024 for unary calls (up to 100000 for streams)");
        }

        var list = addresses?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        return (mode, target, list.Length) switch
        {
            ("balanced", not null, 0) or ("plain" or "grpc-round-robin", null, > 0) =>
                new LoopOptions(mode, target, list, concurrency, TimeSpan.FromSeconds(duration), TimeSpan.FromSeconds(warmup), kind, messages, TimeSpan.FromMilliseconds(intervalMs), rateGiven ? rate : null),
            _ => Fail("give --mode balanced with --target, or --mode plain or grpc-round-robin with --addresses"),
        };
    }

    private static LoopOptions? Fail(string message)
    {
        Console.Error.WriteLine($"channel-loop: {message}");
        Console.Error.WriteLine(Usage);
        return null;
    }
}

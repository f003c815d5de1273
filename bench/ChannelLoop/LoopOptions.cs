namespace GrpcLoadLab.Bench.ChannelLoop;

/// <summary>The command line of one run, checked before any call is sent.</summary>
internal sealed record LoopOptions(string Mode, string? Target, IReadOnlyList<string> Addresses, int Concurrency, TimeSpan Duration, TimeSpan Warmup)
{
    public const string Usage =
        "usage: GrpcLoadLab.Bench.ChannelLoop --mode balanced --target file:PATH | --mode plain|grpc-round-robin "
        + "--addresses HOST:PORT,... [--concurrency C (1-1024, 64)] [--duration S (1-600, 10)] [--warmup S (0-60, 2)]";

    /// <summary>Returns the options, or null after printing what is wrong.</summary>
    public static LoopOptions? Parse(string[] args)
    {
        string? mode = null, target = null, addresses = null;
        int concurrency = 64, duration = 10, warmup = 2;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            var ok = args[i] switch
            {
                "--mode" => (mode = value) is "balanced" or "plain" or "grpc-round-robin",
                "--target" => (target = value).Length > 0,
                "--addresses" => (addresses = value).Length > 0,
                "--concurrency" => int.TryParse(value, out concurrency) && concurrency is >= 1 and <= 1024,
                "--duration" => int.TryParse(value, out duration) && duration is >= 1 and <= 600,
                "--warmup" => int.TryParse(value, out warmup) && warmup is >= 0 and <= 60,
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

        var list = addresses?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        return (mode, target, list.Length) switch
        {
            ("balanced", not null, 0) or ("plain" or "grpc-round-robin", null, > 0) =>
                new LoopOptions(mode, target, list, concurrency, TimeSpan.FromSeconds(duration), TimeSpan.FromSeconds(warmup)),
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

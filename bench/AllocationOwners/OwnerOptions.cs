using System.Globalization;

namespace GrpcLoadLab.Bench.AllocationOwners;

/// <summary>The command line, checked once before the trace is read.</summary>
/// <param name="Trace">The EventPipe trace (.nettrace).</param>
/// <param name="Messages">Messages the traced run received, for bytes per message; null to print none.</param>
/// <param name="From">Samples before this instant are left out (null: from the trace's start).</param>
/// <param name="To">Samples after this instant are left out (null: to the trace's end).</param>
/// <param name="Top">Rows of the types and frames tables.</param>
internal sealed record OwnerOptions(string Trace, long? Messages, DateTimeOffset? From, DateTimeOffset? To, int Top)
{
    public const string Usage =
        "usage: GrpcLoadLab.Bench.AllocationOwners TRACE.nettrace [--messages N (1-10^12)] "
        + "[--from ISO-8601 instant] [--to ISO-8601 instant] [--top N (1-100, 15)]";

    /// <summary>Returns the options, or throws <see cref="BadInputException"/> saying what is wrong.</summary>
    public static OwnerOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            throw new BadInputException($"no trace file given ({Usage})");
        }

        long? messages = null;
        DateTimeOffset? from = null, to = null;
        var top = 15;
        for (var i = 1; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                throw new BadInputException($"option '{args[i]}' has no value");
            }

            var value = args[i + 1];
            bool ok;
            switch (args[i])
            {
                case "--messages":
                    ok = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= 1_000_000_000_000;
                    messages = count;
                    break;
                case "--from":
                    ok = TryInstant(value, out from);
                    break;
                case "--to":
                    ok = TryInstant(value, out to);
                    break;
                case "--top":
                    ok = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out top) && top is >= 1 and <= 100;
                    break;
                default:
                    throw new BadInputException($"unknown option '{args[i]}' ({Usage})");
            }

            if (!ok)
            {
                throw new BadInputException($"bad value '{value}' for {args[i]} ({Usage})");
            }
        }

        if (from is { } start && to is { } end && end <= start)
        {
            throw new BadInputException("--to must be later than --from");
        }

        return new OwnerOptions(args[0], messages, from, to, top);
    }

    private static bool TryInstant(string value, out DateTimeOffset? instant)
    {
        var ok = DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed);
        instant = ok ? parsed : null;
        return ok;
    }
}

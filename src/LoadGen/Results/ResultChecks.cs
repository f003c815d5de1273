namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// What the JSON reader cannot see in a result: a null inside a list, a number that cannot be a measurement (NaN or
/// infinite, a negative count), a histogram whose payload does not decode. Every reader relies on these, so a file
/// that breaks one is damaged, said once, rather than a crash later in whichever page reads it.
/// </summary>
internal static class ResultChecks
{
    /// <exception cref="FormatException">The first thing wrong, named by its place in the file.</exception>
    public static void Check(RunResult result)
    {
        Stats("totals", result.Totals);
        Each("phases", result.Phases, (at, phase) =>
        {
            Finite($"{at}.startSeconds", phase.StartSeconds);
            Finite($"{at}.endSeconds", phase.EndSeconds);
            Stats($"{at}.stats", phase.Stats);
        });
        Each("timeline", result.Timeline, (at, second) =>
        {
            Finite($"{at}.targetLoad", second.TargetLoad);
            NotNull($"{at}.generator", second.Generator);
            Encoded($"{at}.histogram", second.Histogram);
        });
        Each("endpoints", result.Endpoints, (at, endpoint) => Histogram($"{at}.latency", endpoint.Latency));
        Each("servers", result.Servers, (_, _) => { });
        Each("faults", result.Faults, (_, _) => { });
        if (result.ServerTimelines is { } servers)
        {
            Each("serverTimelines", servers, (at, server) =>
            {
                Each($"{at}.gaps", server.Gaps, (_, _) => { });
                Each($"{at}.seconds", server.Seconds, ServerSecond);
            });
        }

        Each("scenario.phases", result.Scenario.Phases, (_, _) => { });
        NotNull("environment.serverAddresses", result.Environment.ServerAddresses);
        NotNull("verdict.invalidReasons", result.Verdict.InvalidReasons);
        Each("verdict.warnings", result.Verdict.Warnings, (_, _) => { });
    }

    private static void Stats(string at, PhaseStats stats)
    {
        Finite($"{at}.seconds", stats.Seconds);
        Finite($"{at}.callsPerSecond", stats.CallsPerSecond);
        var calls = stats.Calls;
        if (calls.Started < 0 || calls.Succeeded < 0 || calls.Failed < 0 || calls.Cancelled < 0 || calls.Dropped < 0 || calls.Late < 0)
        {
            throw new FormatException($"{at}.calls holds a negative count");
        }

        Histogram($"{at}.latency", stats.Latency);
        Histogram($"{at}.serviceTime", stats.ServiceTime);
        Histogram($"{at}.scheduleLag", stats.ScheduleLag);
        Histogram($"{at}.firstMessage", stats.FirstMessage);
        Histogram($"{at}.messageLatency", stats.MessageLatency);
        Histogram($"{at}.interArrival", stats.InterArrival);
        if (stats.Dispatcher is { } dispatcher)
        {
            Histogram($"{at}.dispatcher.wakeUpLateness", dispatcher.WakeUpLateness);
            Finite($"{at}.dispatcher.pacedSeconds", dispatcher.PacedSeconds);
            Finite($"{at}.dispatcher.realTimeSeconds", dispatcher.RealTimeSeconds);
            if (dispatcher.PacedSeconds < 0 || dispatcher.RealTimeSeconds < 0 || dispatcher.LongestSpinMicros < 0)
            {
                throw new FormatException($"{at}.dispatcher holds a negative time");
            }
        }

        foreach (var (status, failures) in stats.Failures ?? new Dictionary<string, StatusFailures>())
        {
            NotNull($"{at}.failures.{status}", failures);
            Each($"{at}.failures.{status}.details", failures.Details, (_, _) => { });
            if (failures.Unlisted < 0 || failures.Details.Any(d => d.Calls < 0))
            {
                throw new FormatException($"{at}.failures.{status} holds a negative count");
            }
        }
    }

    private static void ServerSecond(string at, ServerTimelineSecond second)
    {
        Finite($"{at}.startSeconds", second.StartSeconds);
        Finite($"{at}.lengthSeconds", second.LengthSeconds);
        NotNull($"{at}.calls", second.Calls);
        NotNull($"{at}.failuresByStatus", second.FailuresByStatus);
        if (second.InFlight < 0 || second.Queued < 0 || second.CpuMicros < 0 || second.Calls.Values.Any(c => c is null || c.Completed < 0 || c.Failed < 0 || c.Cancelled < 0))
        {
            throw new FormatException($"{at} holds a negative count");
        }

        if (second.CallDuration is { } duration)
        {
            if (duration.Count < 0)
            {
                throw new FormatException($"{at}.callDuration.count is negative");
            }

            // The frame only, not a full decode: a long run holds thousands of seconds, and each decoded histogram is
            // some 100 KB, where the client's few histograms are decoded whole.
            if (HistogramCodec.FrameProblem(duration.Encoded) is { } problem)
            {
                throw new FormatException($"{at}.callDuration.encoded is {problem}");
            }
        }
    }

    private static void Histogram(string at, HistogramSummary? histogram)
    {
        if (histogram is null)
        {
            return;
        }

        Finite($"{at}.mean", histogram.Mean);
        if (histogram.Count < 0)
        {
            throw new FormatException($"{at}.count is negative");
        }

        Encoded($"{at}.encoded", histogram.Encoded);
    }

    /// <summary>An encoded histogram (an agent's seconds keep one each) must decode; null is none.</summary>
    private static void Encoded(string at, string? encoded)
    {
        if (encoded is null)
        {
            return;
        }

        try
        {
            HistogramCodec.Decode(encoded);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{at} is {e.Message}", e);
        }
    }

    private static void Each<T>(string at, IReadOnlyList<T>? items, Action<string, T> check)
    {
        NotNull(at, items);
        for (var i = 0; i < items!.Count; i++)
        {
            NotNull($"{at}[{i}]", items[i]);
            check($"{at}[{i}]", items[i]);
        }
    }

    private static void NotNull(string at, object? value)
    {
        if (value is null)
        {
            throw new FormatException($"{at} is null");
        }
    }

    private static void Finite(string at, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new FormatException($"{at} is not a finite number");
        }
    }
}

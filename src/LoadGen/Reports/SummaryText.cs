using System.Globalization;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Reports;

/// <summary>
/// The summary <c>loadgen run</c> prints when it ends: plain, aligned text with no markup, so that it reads the same on
/// a terminal, in a file and in a CI log. The figures are the ones that matter; result.json holds the rest.
/// </summary>
internal static class SummaryText
{
    private const string Indent = "  ";
    private const int LabelWidth = 15;

    /// <param name="result">The run.</param>
    /// <param name="resultPath">Where its result.json was written, named on the last line.</param>
    public static string Render(RunResult result, string resultPath)
    {
        using var output = new StringWriter { NewLine = "\n" };
        WriteHeader(result, output);
        WritePhases(result.Phases, output);
        WriteTotals(result.Totals, output);
        WriteStatusCodes(result.Totals.StatusCodes, output);
        WriteFailures(result.Totals, output);
        WriteSubSteps(result.SubSteps, output);
        if (result.CheckMismatch is { } mismatch)
        {
            output.WriteLine($"{Indent}a reply that failed the check: {mismatch}");
        }

        WriteServers(result.Endpoints, output);
        WriteFaults(result.Faults, output);
        WriteVerdict(result.Verdict, output);
        output.WriteLine();
        output.WriteLine($"result: {resultPath}");
        return output.ToString();
    }

    private static void WriteHeader(RunResult result, TextWriter output)
    {
        output.WriteLine(result.Name + AgentWords.Mark(AgentWords.Of(result)));
        if (result.Partial)
        {
            output.WriteLine(VerdictWords.PartialRun(result.PartialReason));
        }

        var started = result.StartedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
        output.WriteLine($"ran {NumberText.Duration(result.EndedAt - result.StartedAt)}, from {started}");
    }

    private static void WritePhases(IReadOnlyList<PhaseResult> phases, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("phases");
        var table = new TextTable(
            TextTable.Right("#"),
            TextTable.Left("phase"),
            TextTable.Right("calls"),
            TextTable.Right("calls/s"),
            TextTable.Right("p50 ms"),
            TextTable.Right("p99 ms"),
            TextTable.Right("errors"));
        foreach (var phase in phases)
        {
            var stats = phase.Stats;
            table.AddRow(
                phase.Index.ToString(CultureInfo.InvariantCulture),
                phase.Warmup ? $"{phase.Name} (WARM-UP)" : phase.Name,
                NumberText.Count(stats.Calls.Started),
                NumberText.Rate(stats.CallsPerSecond),
                NumberText.Millis(stats.Latency, h => h.P50),
                NumberText.Millis(stats.Latency, h => h.P99),
                Errors(stats));
        }

        table.Write(output, Indent);
    }

    private static void WriteTotals(PhaseStats totals, TextWriter output)
    {
        var calls = totals.Calls;
        output.WriteLine();
        output.WriteLine("totals (measured phases)");
        var accounted = calls.AddsUp ? "" : "  (DOES NOT ADD UP)";
        WriteField(
            output,
            "calls started",
            $"{NumberText.Count(calls.Started)} = {NumberText.Count(calls.Succeeded)} succeeded"
            + $" + {NumberText.Count(calls.Failed)} failed + {NumberText.Count(calls.Cancelled)} cancelled{accounted}");
        WriteField(output, "dropped, late", $"{NumberText.Count(calls.Dropped)} dropped, {NumberText.Count(calls.Late)} started late");
        WriteField(output, "calls/s", NumberText.Rate(totals.CallsPerSecond));
        WriteField(output, "errors", $"{NumberText.Percent(totals.ErrorRate, 2)} ({NumberText.Count(calls.Failed)} failed)");
        WriteField(output, "latency", Percentiles(totals.Latency));

        // Open model: latency counts from the scheduled start, so the time the servers took and how late the
        // generator started calls are shown beside it to tell the two apart.
        if (totals.ScheduleLag is { } lag)
        {
            WriteField(output, "service time", $"p99 {NumberText.Millis(totals.ServiceTime, h => h.P99)} ms");
            WriteField(output, "schedule lag", $"p99 {NumberText.Millis(lag, h => h.P99)} ms");
            if (totals.Dispatcher is { } dispatcher)
            {
                WriteField(output, "dispatcher", DispatcherWords.Of(dispatcher));
            }
        }

        if (totals.FirstMessage is null && totals.MessageLatency is null && totals.InterArrival is null)
        {
            return;
        }

        WriteStreaming(output, "first message", totals.FirstMessage);
        WriteStreaming(output, "message lat.", totals.MessageLatency);
        WriteStreaming(output, "inter-arrival", totals.InterArrival);
        WriteField(
            output,
            "messages",
            $"{NumberText.Count(totals.MessagesSent)} sent, {NumberText.Count(totals.MessagesReceived)} received");
    }

    private static void WriteStreaming(TextWriter output, string label, HistogramSummary? histogram)
    {
        if (histogram is not null)
        {
            WriteField(output, label, Percentiles(histogram));
        }
    }

    private static void WriteStatusCodes(IReadOnlyDictionary<string, long> statusCodes, TextWriter output)
    {
        if (statusCodes.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("status codes");
        var total = statusCodes.Values.Sum();
        var table = new TextTable(TextTable.Left("status"), TextTable.Right("calls"), TextTable.Right("share"));
        foreach (var (status, count) in statusCodes.OrderByDescending(code => code.Value).ThenBy(code => code.Key, StringComparer.Ordinal))
        {
            table.AddRow(status, NumberText.Count(count), NumberText.Percent(total == 0 ? 0 : (double)count / total, 2));
        }

        table.Write(output, Indent);
    }

    private static void WriteFailures(PhaseStats totals, TextWriter output)
    {
        var rows = FailureWords.Rows(totals).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("why calls failed");
        var table = new TextTable(TextTable.Left("status"), TextTable.Right("calls"), TextTable.Left("detail"));
        foreach (var (status, calls, detail) in rows)
        {
            table.AddRow(status, NumberText.Count(calls), detail);
        }

        table.Write(output, Indent);
    }

    private static void WriteSubSteps(IReadOnlyList<SubStepResult> subSteps, TextWriter output)
    {
        if (subSteps.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("sub-steps (measured phases)");
        var table = new TextTable(TextTable.Left("sub-step"), TextTable.Right("ended"), TextTable.Right("failed"), TextTable.Right("p50 ms"), TextTable.Right("p99 ms"));
        foreach (var subStep in subSteps)
        {
            table.AddRow(
                subStep.Name,
                NumberText.Count(subStep.Succeeded + subStep.Failed),
                NumberText.Count(subStep.Failed),
                NumberText.Millis(subStep.Latency, h => h.P50),
                NumberText.Millis(subStep.Latency, h => h.P99));
        }

        table.Write(output, Indent);
    }

    private static void WriteFaults(IReadOnlyList<FaultRecord> faults, TextWriter output)
    {
        if (faults.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("faults");
        var table = new TextTable(TextTable.Right("at s"), TextTable.Right("done s"), TextTable.Left("fault"), TextTable.Left("outcome"));
        foreach (var fault in faults)
        {
            table.AddRow(
                NumberText.Number(fault.AtSeconds),
                fault.DoneSeconds is { } done ? NumberText.Number(done) : "-",
                fault.Label(),
                fault.Ok ? "done" : fault.Error ?? "failed");
        }

        table.Write(output, Indent);
    }

    private static void WriteServers(IReadOnlyList<EndpointResult> endpoints, TextWriter output)
    {
        if (endpoints.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("servers");
        var table = new TextTable(
            TextTable.Left("instance"),
            TextTable.Left("address"),
            TextTable.Right("calls"),
            TextTable.Right("share"),
            TextTable.Right("p99 ms"),
            TextTable.Right("failed"),
            TextTable.Right("no status"));
        foreach (var endpoint in endpoints)
        {
            table.AddRow(
                endpoint.InstanceId ?? "?",
                endpoint.Address ?? "?",
                NumberText.Count(endpoint.Succeeded + endpoint.Failed),
                NumberText.Percent(endpoint.Share, 1),
                NumberText.Millis(endpoint.Latency, h => h.P99),
                NumberText.Count(endpoint.Failed),
                NumberText.Count(endpoint.NoStatus));
        }

        table.Write(output, Indent);
    }

    private static void WriteVerdict(Verdict verdict, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"verdict: {VerdictWords.Outcome(verdict.Passed)}");
        output.WriteLine($"{Indent}run: {VerdictWords.Validity(verdict.Valid)}"
            + (verdict.Valid ? "" : $" ({VerdictWords.GeneratorBehind}: these figures measured it, not the servers)"));
        foreach (var reason in verdict.InvalidReasons)
        {
            output.WriteLine($"{Indent}{Indent}- {reason}");
        }

        foreach (var warning in verdict.Warnings)
        {
            output.WriteLine($"{Indent}{VerdictWords.Warning}: {warning}");
        }

        output.WriteLine($"{Indent}thresholds: {VerdictWords.Thresholds(verdict.Thresholds) ?? "none"}");
        if (verdict.Thresholds.Count == 0)
        {
            return;
        }

        var table = new TextTable(TextTable.Left("result"), TextTable.Left("threshold"), TextTable.Right("actual"));
        foreach (var threshold in verdict.Thresholds)
        {
            table.AddRow(VerdictWords.Check(threshold.Passed), threshold.Threshold, Actual(threshold));
        }

        table.Write(output, Indent + Indent);
    }

    private static void WriteField(TextWriter output, string label, string value) =>
        output.WriteLine($"{Indent}{label.PadRight(LabelWidth)}{value}");

    private static string Percentiles(HistogramSummary histogram) =>
        histogram.Count == 0
            ? "no calls"
            : $"p50 {NumberText.Millis(histogram, h => h.P50)} ms  p90 {NumberText.Millis(histogram, h => h.P90)} ms"
              + $"  p99 {NumberText.Millis(histogram, h => h.P99)} ms  p99.9 {NumberText.Millis(histogram, h => h.P999)} ms"
              + $"  max {NumberText.Millis(histogram, h => h.Max)} ms";

    private static string Errors(PhaseStats stats) =>
        stats.Calls.Failed == 0
            ? "0"
            : $"{NumberText.Count(stats.Calls.Failed)} ({NumberText.Percent(stats.ErrorRate, 2)})";

    /// <summary>The measured value in the threshold's unit: a percentage reads 2.1%, others 4.8 ms.</summary>
    private static string Actual(ThresholdResult threshold) =>
        threshold.Unit switch
        {
            "" => NumberText.Number(threshold.Actual),
            "%" => NumberText.Number(threshold.Actual) + "%",
            _ => $"{NumberText.Number(threshold.Actual)} {threshold.Unit}",
        };
}

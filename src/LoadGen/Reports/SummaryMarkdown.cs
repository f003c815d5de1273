using System.Text;
using GrpcLoadLab.LoadGen.Reports.Figures;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Terminal;

namespace GrpcLoadLab.LoadGen.Reports;

/// <summary><c>summary.md</c>: the key figures, then one table row per phase and one per server, to paste into an issue or a PR.</summary>
internal static class SummaryMarkdown
{
    public static string Render(RunResult result)
    {
        var md = new StringBuilder();
        md.AppendLine($"# {Cell(result.Name)}").AppendLine();
        if (result.Partial)
        {
            md.AppendLine($"**PARTIAL**: {Cell(result.PartialReason ?? "the run stopped early")}").AppendLine();
        }

        md.AppendLine($"Verdict: **{(result.Verdict.Passed ? "PASSED" : "FAILED")}**, run {(result.Verdict.Valid ? "valid" : "INVALID: " + Cell(string.Join("; ", result.Verdict.InvalidReasons)))}; "
            + $"{Spellings.CallKind.Name(result.Scenario.Call.Kind)} calls, {result.Environment.ServerCount} servers, policy {Spellings.Policy.Name(result.Scenario.Target.Policy)}.").AppendLine();
        md.AppendLine("| figure | value |").AppendLine("|---|---:|");
        foreach (var figure in KeyFigures.For([result]))
        {
            md.AppendLine($"| {figure.Label} | {figure.Format(figure.Value(result))}{(figure.Unit == "ms" ? " ms" : "")} |");
        }

        md.AppendLine().AppendLine("## Phases").AppendLine();
        md.AppendLine("| # | phase | load | calls | calls/s | p50 ms | p99 ms | max ms | failed |").AppendLine("|---:|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var p in result.Phases)
        {
            var s = p.Stats;
            md.AppendLine($"| {p.Index} | {Cell(ScenarioView.PhaseLabel(p))} | {Cell(p.Load)} | {TerminalFormat.Count(s.Calls.Started)} | {TerminalFormat.Rate(s.CallsPerSecond)} | "
                + $"{TerminalFormat.Millis(s.Latency, h => h.P50)} | {TerminalFormat.Millis(s.Latency, h => h.P99)} | {TerminalFormat.Millis(s.Latency, h => h.Max)} | {TerminalFormat.Count(s.Calls.Failed)} |");
        }

        md.AppendLine().AppendLine("## Servers").AppendLine();
        md.AppendLine("| instance | address | succeeded | failed | share | p50 ms | p99 ms |").AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var e in result.Endpoints)
        {
            md.AppendLine($"| {Cell(e.InstanceId ?? "?")} | {Cell(e.Address ?? "?")} | {TerminalFormat.Count(e.Succeeded)} | {TerminalFormat.Count(e.Failed)} | {TerminalFormat.Percent(e.Share, 1)} | "
                + $"{TerminalFormat.Millis(e.Latency, h => h.P50)} | {TerminalFormat.Millis(e.Latency, h => h.P99)} |");
        }

        return md.ToString();
    }

    /// <summary>Text safe in a Markdown table cell: no pipe or line break ends the cell, no HTML is read as markup.</summary>
    private static string Cell(string text) =>
        Html.Html.Encode(text).Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}

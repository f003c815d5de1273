using System.Text;
using GrpcLoadLab.LoadGen.Reports.Figures;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;

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
            md.AppendLine($"**{VerdictWords.Partial}**: {Cell(VerdictWords.PartialReason(result.PartialReason))}").AppendLine();
        }

        md.AppendLine($"Verdict: **{VerdictWords.Outcome(result.Verdict.Passed)}**, run {VerdictWords.Validity(result.Verdict.Valid)}{(result.Verdict.Valid ? "" : ": " + Cell(string.Join("; ", result.Verdict.InvalidReasons)))}; "
            + $"{Spellings.CallKind.Name(result.Scenario.Call.Kind)} calls, {result.Environment.ServerCount} servers, policy {Spellings.Policy.Name(result.Scenario.Target.Policy)}.").AppendLine();
        foreach (var warning in result.Verdict.Warnings)
        {
            md.AppendLine($"**{VerdictWords.Warning}**: {Cell(warning)}").AppendLine();
        }

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
            md.AppendLine($"| {p.Index} | {Cell(ScenarioView.PhaseLabel(p))} | {Cell(p.Load)} | {NumberText.Count(s.Calls.Started)} | {NumberText.Rate(s.CallsPerSecond)} | "
                + $"{NumberText.Millis(s.Latency, h => h.P50)} | {NumberText.Millis(s.Latency, h => h.P99)} | {NumberText.Millis(s.Latency, h => h.Max)} | {NumberText.Count(s.Calls.Failed)} |");
        }

        if (result.SubSteps.Count > 0)
        {
            md.AppendLine().AppendLine("## Sub-steps").AppendLine();
            md.AppendLine("| sub-step | succeeded | failed | p50 ms | p99 ms | max ms |").AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var step in result.SubSteps)
            {
                md.AppendLine($"| {Cell(step.Name)} | {NumberText.Count(step.Succeeded)} | {NumberText.Count(step.Failed)} | "
                    + $"{NumberText.Millis(step.Latency, h => h.P50)} | {NumberText.Millis(step.Latency, h => h.P99)} | {NumberText.Millis(step.Latency, h => h.Max)} |");
            }
        }

        md.AppendLine().AppendLine("## Servers").AppendLine();
        md.AppendLine("| instance | address | succeeded | failed | no status | share | p50 ms | p99 ms |").AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var e in result.Endpoints)
        {
            md.AppendLine($"| {Cell(e.InstanceId ?? "?")} | {Cell(e.Address ?? "?")} | {NumberText.Count(e.Succeeded)} | {NumberText.Count(e.Failed)} | {NumberText.Count(e.NoStatus)} | {NumberText.Percent(e.Share, 1)} | "
                + $"{NumberText.Millis(e.Latency, h => h.P50)} | {NumberText.Millis(e.Latency, h => h.P99)} |");
        }

        return md.ToString();
    }

    /// <summary>Text safe in a Markdown table cell: no pipe or line break ends the cell, no HTML is read as markup.</summary>
    private static string Cell(string text) =>
        Html.Html.Encode(text).Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}

using System.Globalization;
using System.Text;
using GrpcLoadLab.LoadGen.Results;
using static GrpcLoadLab.LoadGen.Reports.Html.Html;

namespace GrpcLoadLab.LoadGen.Reports;

/// <summary>
/// The report's <c>agents</c> section: for a merged run, which agents it was made of and what each measured; for one
/// agent's run, its share and its clock.
/// </summary>
internal static class AgentsSection
{
    /// <summary>The section's HTML, or null for a run that neither was an agent nor was merged from agents.</summary>
    public static string? Render(RunResult result)
    {
        if (result.Agents is { } agents)
        {
            var html = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"<p>This run merges {agents.Count} agents' results (<code>loadgen merge</code>): their histograms added, their seconds aligned by wall clock from the earliest agent's start; the thresholds are judged on the merged run.</p>\n"));
            html.Append("<table id=\"agents-table\">\n").Append(HeaderRow("agent", "host", "started (UTC)", "vs --start-at ms", "starts at s", "calls", "calls/s", "p99 ms", "verdict", "source"));
            foreach (var a in agents)
            {
                html.Append(Row(
                    a.Agent.Text,
                    a.Agent.Host,
                    Instant(a.Agent.Clock.StartedAt),
                    Offset(a.Agent.Clock),
                    NumberText.Number(a.StartSeconds),
                    NumberText.Count(a.Calls.Started),
                    NumberText.Rate(a.CallsPerSecond),
                    NumberText.Millis(a.P99 / 1000.0),
                    (a.Valid ? "valid" : $"{VerdictWords.Invalid}: {string.Join("; ", a.InvalidReasons)}") + VerdictWords.PartialMark(a.Partial),
                    a.Source));
            }

            return html.Append("</table>\n").ToString();
        }

        if (result.Agent is { } agent)
        {
            return new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"<p>This run is agent {agent.Text}: its share of the scenario's load, which agents 1 to {agent.Count} run together. Its thresholds are judged on the merged run (<code>loadgen merge</code>).</p>\n"))
                .Append("<table class=\"left\" id=\"agent-table\">\n")
                .Append(Row("agent", agent.Text))
                .Append(Row("host", agent.Host))
                .Append(Row("--start-at", agent.Clock.StartAt is { } startAt ? Instant(startAt) : "none: it started when ready"))
                .Append(Row("started (UTC)", Instant(agent.Clock.StartedAt)))
                .Append(Row("vs --start-at ms", Offset(agent.Clock)))
                .Append("</table>\n").ToString();
        }

        return null;
    }

    private static string Instant(DateTimeOffset instant) => instant.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static string Offset(AgentClock clock) =>
        clock.OffsetMillis is { } offset ? NumberText.Number(offset) + (clock.Late ? " (late)" : "") : "-";
}

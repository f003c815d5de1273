using System.Globalization;
using System.Text;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Reports;

/// <summary>
/// <c>stats.csv</c>: one row per phase and a last row "totals" (the measured phases), for spreadsheets. Plain
/// numbers in the invariant culture: latency in ms with three decimals, rates with two.
/// </summary>
internal static class StatsCsv
{
    public const string Header = "phase,name,warmup,seconds,started,succeeded,failed,cancelled,dropped,rps,p50_ms,p90_ms,p99_ms,p999_ms,max_ms,error_rate,bytes_sent,bytes_received";

    public static string Render(RunResult result)
    {
        var csv = new StringBuilder(Header).Append('\n');
        foreach (var phase in result.Phases)
        {
            csv.Append(Line(phase.Index.ToString(CultureInfo.InvariantCulture), phase.Name, phase.Warmup, phase.Stats));
        }

        return csv.Append(Line("totals", "measured phases", false, result.Totals)).ToString();
    }

    private static string Line(string phase, string name, bool warmup, PhaseStats s) =>
        string.Join(',',
            phase,
            Quote(name),
            warmup ? "true" : "false",
            Number(s.Seconds, "0.###"),
            Integer(s.Calls.Started),
            Integer(s.Calls.Succeeded),
            Integer(s.Calls.Failed),
            Integer(s.Calls.Cancelled),
            Integer(s.Calls.Dropped),
            Number(s.CallsPerSecond, "0.##"),
            Millis(s.Latency.P50),
            Millis(s.Latency.P90),
            Millis(s.Latency.P99),
            Millis(s.Latency.P999),
            Millis(s.Latency.Max),
            Number(s.ErrorRate, "0.######"),
            Integer(s.BytesSent),
            Integer(s.BytesReceived)) + "\n";

    private static string Millis(long micros) => Number(micros / 1000.0, "0.###");

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>RFC 4180: quoted, inner quotes doubled.</summary>
    private static string Quote(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

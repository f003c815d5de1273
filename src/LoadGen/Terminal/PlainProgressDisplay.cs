using System.Globalization;
using System.Text;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Terminal;

/// <summary>
/// Progress for logs and CI, where a redrawn view would be noise: one plain line every 5 seconds of the run and one
/// at each phase change.
/// </summary>
internal sealed class PlainProgressDisplay(TextWriter output) : IProgressDisplay
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private int _lastPhase; // phases count from 1, so the first snapshot is always a change
    private long _lastWindow = -1;

    public void Update(LiveSnapshot snapshot)
    {
        // One line per 5-second window of elapsed time rather than 5 s after the last line, so that a ticker running
        // a little early or late neither doubles nor skips a line.
        var window = (long)Math.Floor(snapshot.Elapsed / Interval);
        lock (_lock)
        {
            if (snapshot.PhaseNumber == _lastPhase && window <= _lastWindow)
            {
                return;
            }

            _lastPhase = snapshot.PhaseNumber;
            _lastWindow = window;
            output.WriteLine(Line(snapshot));
            output.Flush();
        }
    }

    public void Complete()
    {
        lock (_lock)
        {
            output.Flush();
        }
    }

    internal static string Line(LiveSnapshot snapshot)
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"[{NumberText.WholeSeconds(snapshot.Elapsed),4}s] ")
            .Append(TerminalFormat.Phase(snapshot))
            .Append(CultureInfo.InvariantCulture, $" | {NumberText.Rate(snapshot.CallsPerSecond)} calls/s")
            .Append(CultureInfo.InvariantCulture, $" | {TerminalFormat.LastSecondLatency(snapshot)}")
            .Append(CultureInfo.InvariantCulture, $" | ok {snapshot.Succeeded} failed {snapshot.Failed}")
            .Append(CultureInfo.InvariantCulture, $" in flight {snapshot.InFlight} dropped {snapshot.Dropped}");
        if (snapshot.Servers.Count > 0)
        {
            line.Append(" | servers:");
            foreach (var server in TerminalFormat.ByInstance(snapshot.Servers))
            {
                line.Append(CultureInfo.InvariantCulture, $" {server.InstanceId} {NumberText.Percent(server.Share, 0)}");
            }
        }

        return line.ToString();
    }
}

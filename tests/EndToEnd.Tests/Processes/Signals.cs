using System.Globalization;

namespace GrpcLoadLab.EndToEnd.Tests.Processes;

/// <summary>Sends a signal to a process the test started, by its PID, as an orchestrator or a person would.</summary>
public static class Signals
{
    public static async Task SendAsync(int pid, string signal)
    {
        var result = await CommandRunner.RunAsync("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed: {result}");
        }
    }
}

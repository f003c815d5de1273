using System.Diagnostics;
using System.Globalization;
using GrpcLoadLab.EndToEnd.Tests.Processes;

namespace GrpcLoadLab.EndToEnd.Tests.Fleet;

/// <summary>
/// scripts/servers.sh run against a fleet of its own: a fresh <c>LAB_DIR</c>. Disposing stops whatever the fleet
/// still runs, kills (by PID) any instance, or process it started, that outlived the stop, and removes the folder.
/// </summary>
public sealed class LabFleet : IAsyncDisposable
{
    public LabFleet() => LabDirectory = Directory.CreateTempSubdirectory("lab-fleet-").FullName;

    public string LabDirectory { get; }

    /// <summary>The registry clients read: one host:port a line, written once every instance is SERVING.</summary>
    public string RegistryPath => Path.Combine(LabDirectory, "servers.txt");

    private string Mark => $"LAB_FLEET={LabDirectory}";

    /// <summary>True while <paramref name="pid"/> runs a lab server (the script's own test: PIDs are reused).</summary>
    public static bool IsServerRunning(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("GrpcLoadLab.Server.dll", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// True while <paramref name="pid"/> carries this fleet's mark (<c>LAB_FLEET=</c>its folder, in the environment
    /// the script gives every server it starts, and every process that server starts): any server, the lab's or not.
    /// </summary>
    public bool Runs(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ").Split('\0').Contains(Mark, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Every running process that carries this fleet's mark.</summary>
    public IReadOnlyList<int> MarkedProcesses() =>
        Directory.GetDirectories("/proc")
            .Select(folder => Path.GetFileName(folder))
            .Select(name => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && Runs(pid))
            .ToArray();

    public Task<CommandResult> RunAsync(params string[] arguments) => RunAsync(CommandRunner.DefaultTimeout, arguments);

    /// <summary>How long <c>start</c> waits for its instances to be ready (<c>LAB_HEALTH_TIMEOUT</c>); the script's default when null.</summary>
    public string? HealthTimeout { get; init; }

    public Task<CommandResult> RunAsync(TimeSpan timeout, params string[] arguments) =>
        CommandRunner.RunAsync(
            "bash", [RepositoryPaths.FleetScript, .. arguments], new Dictionary<string, string?> { ["LAB_DIR"] = LabDirectory, ["LAB_HEALTH_TIMEOUT"] = HealthTimeout }, timeout);

    /// <summary>Instance number to PID, from the script's PID files.</summary>
    public IReadOnlyDictionary<int, int> ReadPids()
    {
        var folder = Path.Combine(LabDirectory, "pids");
        return Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.pid").ToDictionary(
                file => int.Parse(Path.GetFileNameWithoutExtension(file), CultureInfo.InvariantCulture),
                file => int.Parse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture))
            : new Dictionary<int, int>();
    }

    public async ValueTask DisposeAsync()
    {
        var pids = ReadPids().Values.ToArray();
        await RunAsync("stop", "--timeout", "5");
        foreach (var pid in pids.Where(IsServerRunning).Union(MarkedProcesses()))
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }

        Directory.Delete(LabDirectory, recursive: true);
    }
}

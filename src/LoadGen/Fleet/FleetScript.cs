using System.Diagnostics;

namespace GrpcLoadLab.LoadGen.Fleet;

/// <summary>
/// Starts and stops the sweep's fleet through the lab's fleet script (<c>scripts/servers.sh</c>), in a lab folder of
/// its own, so that a fleet started by hand (in <c>.lab/</c>, on port 5001) is neither used nor touched. A run's
/// faults use it too, in the folder of the fleet they target, for single commands (<c>kill 2</c>). The script's
/// output goes to <c>fleet.log</c> in that folder.
/// </summary>
public sealed class FleetScript
{
    private readonly string _script;
    private readonly string _labFolder;

    public FleetScript(string script, string labFolder)
    {
        _script = Path.GetFullPath(script);
        _labFolder = Path.GetFullPath(labFolder);
        if (!File.Exists(_script))
        {
            throw new FleetException($"the fleet script {script} does not exist: run from the repository root, or pass --fleet-script PATH");
        }
    }

    /// <summary>The registry the script writes once every instance is SERVING: the cells' <c>file:</c> target.</summary>
    public string Registry => Path.Combine(_labFolder, "servers.txt");

    public string Log => Path.Combine(_labFolder, "fleet.log");

    /// <summary>Stops whatever fleet this lab folder runs, then starts <paramref name="settings"/>; throws <see cref="FleetException"/> if it cannot.</summary>
    public async Task StartAsync(FleetSettings settings)
    {
        await StopAsync();
        var (exitCode, lastLine) = await RunAsync(settings.StartArguments());
        if (exitCode != 0)
        {
            throw new FleetException($"the fleet script could not start {settings}: {lastLine} (see {Log})");
        }
    }

    /// <summary>Stops the fleet gracefully (SIGTERM, SIGKILL after a timeout); does nothing when none runs.</summary>
    public async Task StopAsync() => await RunAsync(["stop", "--timeout", "15"]);

    /// <summary>Runs one command of the script (e.g. <c>kill 2</c>) to its end; returns its exit code and its last line of output.</summary>
    public async Task<(int ExitCode, string LastLine)> RunAsync(IReadOnlyList<string> arguments)
    {
        Directory.CreateDirectory(_labFolder);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(_script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LAB_DIR"] = _labFolder;
        // The generator's own GC settings (scripts/lib/loadgen-gc.sh) are not the servers': they run as servers.sh
        // starts them by hand, so that a sweep measures the same servers.
        start.Environment.Remove("DOTNET_GCgen0size");
        start.Environment.Remove("DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION");
        using var process = Process.Start(start) ?? throw new FleetException($"could not run bash {_script}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        // Not cancellable: a start or stop half done would leave servers behind; the script bounds its own waits.
        await process.WaitForExitAsync(CancellationToken.None);
        var text = await output + await errors;
        await File.AppendAllTextAsync(Log, $"$ servers.sh {string.Join(' ', arguments)}\n{text}");
        var lastLine = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no output";
        return (process.ExitCode, lastLine);
    }
}

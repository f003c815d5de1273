using System.Diagnostics;
using System.Reflection;
using GrpcLoadLab.EndToEnd.Tests.Processes;

namespace GrpcLoadLab.Examples.LoadTestInXunit;

/// <summary>
/// The lab's fleet, started by its own script (<c>scripts/servers.sh</c>) in a folder of its own, on ports free when
/// the tests start; disposing it has the script stop every instance by the PIDs it recorded, and removes the folder.
/// </summary>
public sealed class ScriptFleet : IAsyncLifetime
{
    public const int Instances = 2;

    /// <summary>The first start may build the server (Release), on a machine that CI shares.</summary>
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);

    private readonly string _labDirectory = Directory.CreateTempSubdirectory("lab-example-").FullName;

    /// <summary>The balancer's target: the registry the script writes once every instance answers SERVING.</summary>
    public string Target => $"file:{Path.Combine(_labDirectory, "servers.txt")}";

    /// <summary>Where the runs' folders go: inside the fleet's folder, removed with it.</summary>
    public string Reports => Path.Combine(_labDirectory, "reports");

    public Task InitializeAsync() => RunScriptAsync("start", $"{Instances}", "--base-port", $"{FreePorts.FindRange(Instances)}");

    public async Task DisposeAsync()
    {
        try
        {
            await RunScriptAsync("stop", "--timeout", "10");
        }
        finally
        {
            Directory.Delete(_labDirectory, recursive: true);
        }
    }

    private async Task RunScriptAsync(params string[] arguments)
    {
        var script = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        script.ArgumentList.Add(Path.Combine(RepositoryRoot(), "scripts", "servers.sh"));
        foreach (var argument in arguments)
        {
            script.ArgumentList.Add(argument);
        }

        script.Environment["LAB_DIR"] = _labDirectory;
        using var process = Process.Start(script)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"servers.sh {string.Join(' ', arguments)} did not end within {ScriptTimeout.TotalMinutes:0} minutes");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"servers.sh {string.Join(' ', arguments)} exited with {process.ExitCode}: {await errors}{await output}");
        }
    }

    private static string RepositoryRoot()
    {
        var project = typeof(ScriptFleet).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDirectory").Value!;
        return Path.GetFullPath(Path.Combine(project, "..", ".."));
    }
}

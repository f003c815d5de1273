extern alias LoadGen;

using System.Diagnostics;
using GrpcLoadLab.EndToEnd.Tests.Processes;
using LoadGen::GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.EndToEnd.Tests.LoadGen;

/// <summary>
/// <c>loadgen run</c> as a real process, its output captured; killed on dispose if it still runs. Runs in its own
/// temporary folder, so that its <c>reports/</c> is the test's.
/// </summary>
public sealed class LoadGenProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly OutputCapture _output;

    private LoadGenProcess(Process process, OutputCapture output, string workingDirectory)
    {
        _process = process;
        _output = output;
        WorkingDirectory = workingDirectory;
    }

    public int Pid => _process.Id;

    public string WorkingDirectory { get; }

    public string StandardOutput => _output.StandardOutput;

    public string StandardError => _output.StandardError;

    public static LoadGenProcess Start(params string[] arguments) =>
        // A test runner started in the background of a script ignores SIGINT, and its children inherit that (POSIX: so
        // that Ctrl-C reaches only the foreground job), so loadgen would never see the Ctrl-C that these tests send. env
        // puts SIGINT back to its default and execs loadgen, whose PID is then the one started here.
        StartCommand("env", ["--default-signal=INT", "dotnet", RepositoryPaths.LoadGenDll, .. arguments]);

    /// <summary>
    /// loadgen with the runtime settings that scripts/loadgen and the benchmarks give it (scripts/lib/loadgen-gc.sh),
    /// read from that file: bash sources it, then execs loadgen as <see cref="Start"/> does. The file keeps a value the
    /// caller set, so none is passed on from the test's own environment: what loadgen gets is the file's.
    /// </summary>
    public static LoadGenProcess StartAsScriptsDo(params string[] arguments) => StartCommand(
        "bash",
        ["-c", "source \"$0\" && exec env --default-signal=INT \"${LOADGEN_GC_ENV[@]}\" dotnet \"$@\"", RepositoryPaths.LoadGenGcSettings, RepositoryPaths.LoadGenDll, .. arguments],
        new Dictionary<string, string?> { ["DOTNET_GCgen0size"] = null, ["DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION"] = null });

    private static LoadGenProcess StartCommand(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("loadgen-run-").FullName;
        var startInfo = CommandRunner.CreateStartInfo(fileName, arguments, environment);
        startInfo.WorkingDirectory = workingDirectory;
        var process = new Process { StartInfo = startInfo };
        var output = new OutputCapture(process);
        process.Start();
        output.BeginReading();
        return new LoadGenProcess(process, output, workingDirectory);
    }

    /// <summary>Runs to the end; a run that outlives <paramref name="within"/> fails the test.</summary>
    public static async Task<(int ExitCode, LoadGenProcess Process)> RunAsync(TimeSpan within, params string[] arguments)
    {
        var process = Start(arguments);
        return (await process.WaitForExitAsync(within), process);
    }

    public Task SignalAsync(string signal) => Signals.SendAsync(Pid, signal);

    /// <summary>Waits until the run has printed <paramref name="text"/>; fails the test after two minutes.</summary>
    public async Task WaitForOutputAsync(string text)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!StandardOutput.Contains(text, StringComparison.Ordinal))
        {
            await Task.Delay(50, limit.Token);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(within);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"loadgen (pid {Pid}) still ran {within.TotalSeconds}s later:\n{StandardOutput}{StandardError}");
        }

        return _process.ExitCode;
    }

    /// <summary>The result the run wrote: the one result.json under its reports folder.</summary>
    public RunResult ReadResult()
    {
        var path = Assert.Single(Directory.GetFiles(Path.Combine(WorkingDirectory, "reports"), ResultJson.FileName, SearchOption.AllDirectories));
        return ResultJson.Read(path);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(WorkingDirectory, recursive: true);
    }
}

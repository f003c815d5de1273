using System.Diagnostics;
using GrpcLoadLab.EndToEnd.Tests.Processes;

namespace GrpcLoadLab.EndToEnd.Tests.Namespaces;

/// <summary>A program the test started on a host of its network: output captured, signalled by PID, killed on dispose if it still runs.</summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly OutputCapture _output;

    private HostProcess(Process process, OutputCapture output)
    {
        _process = process;
        _output = output;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string StandardOutput => _output.StandardOutput;

    public string StandardError => _output.StandardError;

    public static HostProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment)
    {
        var startInfo = CommandRunner.CreateStartInfo(fileName, arguments, environment);
        startInfo.WorkingDirectory = workingDirectory;
        var process = new Process { StartInfo = startInfo };
        var output = new OutputCapture(process);
        process.Start();
        output.BeginReading();
        return new HostProcess(process, output);
    }

    public Task SignalAsync(string signal) => Signals.SendAsync(Pid, signal);

    /// <summary>The exit code; a program still running after <paramref name="within"/> fails the test, with what it printed.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(within);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"pid {Pid} still ran {within.TotalSeconds}s later:\n{this}");
        }

        return _process.ExitCode;
    }

    public override string ToString() => $"--- stdout\n{StandardOutput}--- stderr\n{StandardError}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

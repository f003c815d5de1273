using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Grpc.Net.Client;

namespace GrpcLoadLab.EndToEnd.Tests.Processes;

/// <summary>
/// One lab server started as its own process (<c>dotnet GrpcLoadLab.Server.dll --port 0 ...</c>), ready once it
/// answers SERVING. Its output is captured; it is signalled by PID; disposing kills it if it still runs.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly OutputCapture _output;

    private ServerProcess(Process process, OutputCapture output, int port)
    {
        _process = process;
        _output = output;
        Port = port;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
    }

    public int Pid => _process.Id;

    public int Port { get; }

    /// <summary>A channel to the server, owned by this object.</summary>
    public GrpcChannel Channel { get; }

    public string StandardOutput => _output.StandardOutput;

    public string StandardError => _output.StandardError;

    /// <summary>Starts a server on a free port with the given options and waits until it is SERVING.</summary>
    public static async Task<ServerProcess> StartAsync(params string[] options)
    {
        var process = new Process
        {
            StartInfo = CommandRunner.CreateStartInfo("dotnet", [RepositoryPaths.ServerDll, "--port", "0", .. options]),
        };
        var output = new OutputCapture(process);
        // The first line names the port the system gave: "server: ID listening on http://127.0.0.1:PORT (h2c), ...".
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        output.OutputLine += line =>
        {
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                port.TrySetResult(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        };
        process.Start();
        output.BeginReading();

        ServerProcess? server = null;
        try
        {
            var exited = process.WaitForExitAsync();
            var first = await Task.WhenAny(port.Task, exited).WaitAsync(StartTimeout);
            if (first != port.Task)
            {
                throw new InvalidOperationException($"The server exited with code {process.ExitCode} before listening:\n{output.StandardError}");
            }

            server = new ServerProcess(process, output, port.Task.Result);
            await HealthProbe.WaitUntilServingAsync(server.Channel, StartTimeout);
            return server;
        }
        catch
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            else
            {
                await KillAsync(process);
                process.Dispose();
            }

            throw;
        }
    }

    /// <summary>Sends a signal by PID, as an orchestrator or the fleet script does (TERM: graceful stop).</summary>
    public Task SignalAsync(string signal) => Signals.SendAsync(Pid, signal);

    /// <summary>The exit code, once the process has exited; throws if it still runs after <paramref name="within"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(within);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The server (pid {Pid}) still ran {within.TotalSeconds}s later:\n{StandardOutput}{StandardError}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await KillAsync(_process);
        _process.Dispose();
    }

    private static async Task KillAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [GeneratedRegex(@"listening on http://127\.0\.0\.1:(\d+) ")]
    private static partial Regex ListeningLine();
}

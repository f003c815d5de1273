using System.Diagnostics;
using System.Text;

namespace GrpcLoadLab.EndToEnd.Tests.Processes;

/// <summary>Collects a process's stdout and stderr as they arrive, readable at any moment.</summary>
public sealed class OutputCapture
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    public OutputCapture(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(_stdout, e.Data, OutputLine);
        process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data, null);
    }

    /// <summary>Raised for each stdout line, as it arrives.</summary>
    public event Action<string>? OutputLine;

    public string StandardOutput => Snapshot(_stdout);

    public string StandardError => Snapshot(_stderr);

    /// <summary>Call once the process has started.</summary>
    public void BeginReading()
    {
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private static void Append(StringBuilder buffer, string? line, Action<string>? onLine)
    {
        // A null line marks the end of the stream.
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.Append(line).Append('\n');
        }

        onLine?.Invoke(line);
    }

    private static string Snapshot(StringBuilder buffer)
    {
        lock (buffer)
        {
            return buffer.ToString();
        }
    }
}

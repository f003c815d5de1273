using System.CommandLine;
using System.Runtime.InteropServices;
using GrpcLoadLab.LoadGen.Commands;

// loadgen: run gRPC load scenarios through the lab's balancer and measure them honestly.
var root = new RootCommand("gRPC Load Lab's load generator.")
{
    RunCommand.Create(),
    ReportCommand.Create(),
    CompareCommand.Create(),
    SweepCommand.Create(),
    MergeCommand.Create(),
};

// Ctrl-C and SIGTERM cancel the action's token: the command stops and still writes what it has (a partial result,
// the sweep's finished cells). The handler is ours, not System.CommandLine's: its handler raced the signal against
// its own bookkeeping and could end the process with 143 and nothing said; ours only cancels. A second signal is left
// to the runtime's default, which ends the process at once.
using var interrupt = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    return Cli.Fail($"{parse.Errors[0].Message} (run with --help for usage)");
}

try
{
    return await parse.InvokeAsync(new() { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, interrupt.Token);
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    // Typically the reports folder cannot be written.
    return Cli.Fail(e.Message);
}

void Interrupt(PosixSignalContext context)
{
    if (!interrupt.IsCancellationRequested)
    {
        context.Cancel = true;
        // Off the signal's thread: the token's callbacks run the command's first steps of stopping.
        _ = interrupt.CancelAsync();
    }
}

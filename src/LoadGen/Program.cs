using System.CommandLine;
using GrpcLoadLab.LoadGen.Commands;

// loadgen: run gRPC load scenarios through the lab's balancer and measure them honestly.
var root = new RootCommand("gRPC Load Lab's load generator.")
{
    RunCommand.Create(),
    ReportCommand.Create(),
    CompareCommand.Create(),
    SweepCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    return Cli.Fail($"{parse.Errors[0].Message} (run with --help for usage)");
}

try
{
    // Ctrl-C and SIGTERM cancel the action's token: the run stops and still writes its (partial) result, which may
    // take a few seconds while calls in flight end.
    return await parse.InvokeAsync(new() { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    // Typically the reports folder cannot be written.
    return Cli.Fail(e.Message);
}

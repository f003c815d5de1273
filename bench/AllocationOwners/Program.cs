using GrpcLoadLab.Bench.AllocationOwners;

// Whose allocations an EventPipe trace holds: its GCAllocationTick samples (one each ~100 KB allocated), each charged
// to the first frame of its stack outside System.Private.CoreLib and that frame's owner (ours, grpc-dotnet,
// Google.Protobuf, HdrHistogram, System.Net.Http, ...); bench/loadgen-allocations.sh records the trace of a run.
// Exit code: 0, 2 for bad options or a trace the tool cannot use (one line on stderr).
try
{
    var options = OwnerOptions.Parse(args);
    var samples = TraceReader.Read(options.Trace, options.From, options.To);
    if (samples.Count == 0)
    {
        throw new BadInputException($"{options.Trace} has no GCAllocationTick events{(options.From is null && options.To is null ? "" : " in the window of --from/--to")} (record it with the runtime provider's GC keyword at verbose level, e.g. Microsoft-Windows-DotNETRuntime:0x19:5)");
    }

    OwnerReport.Print(Console.Out, samples, options);
    return 0;
}
catch (BadInputException e)
{
    Console.Error.WriteLine($"allocation-owners: {e.Message}");
    return 2;
}

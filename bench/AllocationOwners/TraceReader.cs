using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace GrpcLoadLab.Bench.AllocationOwners;

/// <summary>Reads the sampled allocations of an EventPipe trace with their owners.</summary>
internal static class TraceReader
{
    // An EventPipe file (the "nettrace" format) opens with these bytes.
    private static ReadOnlySpan<byte> Magic => "Nettrace"u8;

    /// <summary>The samples of the trace between FROM and TO; throws <see cref="BadInputException"/> for a file it cannot read.</summary>
    public static List<AllocationSample> Read(string path, DateTimeOffset? from, DateTimeOffset? to)
    {
        CheckMagic(path);
        // TraceLog resolves the frames' methods from the trace's JIT and rundown events into an .etlx file; it goes
        // to the temporary folder, not beside the trace, and is deleted after.
        var etlx = Path.Combine(Path.GetTempPath(), $"allocation-owners-{Guid.NewGuid():N}.etlx");
        try
        {
            try
            {
                TraceLog.CreateFromEventPipeDataFile(path, etlx);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new BadInputException($"{path} could not be read as an EventPipe trace: {e.Message}");
            }

            using var log = new TraceLog(etlx);
            var samples = new List<AllocationSample>();
            foreach (var tick in log.Events.ByEventType<GCAllocationTickTraceData>())
            {
                var at = new DateTimeOffset(tick.TimeStamp.ToUniversalTime());
                if ((from is { } start && at < start) || (to is { } end && at > end))
                {
                    continue;
                }

                // AllocationAmount64 is there from the event's version 2 on (every runtime of this lab); 0 before.
                var bytes = tick.AllocationAmount64 > 0 ? tick.AllocationAmount64 : tick.AllocationAmount;
                var (owner, frame, labCaller) = Attribute(tick.CallStack());
                samples.Add(new AllocationSample(owner, tick.TypeName is { Length: > 0 } type ? type : "?", frame, labCaller, bytes));
            }

            return samples;
        }
        finally
        {
            File.Delete(etlx);
        }
    }

    /// <summary>Walks the stack from the allocating frame outward to the first frame outside the runtime's core.</summary>
    private static (Owner Owner, string Frame, string? LabCaller) Attribute(TraceCallStack? stack)
    {
        if (stack is null)
        {
            return (Owner.Unresolved, "(no stack)", null);
        }

        for (var frame = stack; frame is not null; frame = frame.Caller)
        {
            var (module, method) = Names(frame);
            if (OwnerRules.IsRuntimeCore(module))
            {
                continue;
            }

            // A frame that resolved to no method is the owner's too (unresolved): skipping it would charge its
            // allocation to a caller that may be someone else's code.
            var owner = OwnerRules.Classify(module, method);
            return (owner, owner == Owner.Unresolved ? $"? ({(module.Length > 0 ? module : "no module")})" : $"{module}!{method}", LabCaller(frame));
        }

        return (Owner.RuntimeOnly, "(CoreLib only)", null);
    }

    private static string? LabCaller(TraceCallStack? frame)
    {
        for (; frame is not null; frame = frame.Caller)
        {
            var (module, method) = Names(frame);
            if (OwnerRules.Classify(module, method) is Owner.Ours or Owner.OursGeneratedProto)
            {
                return $"{module}!{method}";
            }
        }

        return null;
    }

    private static (string Module, string Method) Names(TraceCallStack frame) =>
        (frame.CodeAddress.ModuleName ?? "", frame.CodeAddress.FullMethodName ?? "");

    private static void CheckMagic(string path)
    {
        if (!File.Exists(path))
        {
            throw new BadInputException($"{path}: no such file");
        }

        Span<byte> head = stackalloc byte[Magic.Length];
        using var stream = File.OpenRead(path);
        if (stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) < head.Length || !head.SequenceEqual(Magic))
        {
            throw new BadInputException($"{path} is not an EventPipe trace (.nettrace)");
        }
    }
}

using System.Globalization;

namespace GrpcLoadLab.Bench.AllocationOwners;

/// <summary>Prints the samples by owner, by type within each owner, and by first frame outside the runtime's core.</summary>
internal static class OwnerReport
{
    public static void Print(TextWriter output, IReadOnlyList<AllocationSample> samples, OwnerOptions options)
    {
        var total = samples.Sum(s => s.Bytes);
        output.WriteLine(Invariant($"sampled allocations: {samples.Count} GCAllocationTick samples, {total:N0} bytes ({total / 1048576.0:F1} MiB); each sample stands for the ~100 KB allocated since the previous one on its heap"));
        if (options.Messages is { } messages)
        {
            output.WriteLine(Invariant($"messages: {messages:N0} (--messages); bytes per message = sampled bytes / messages"));
        }

        output.WriteLine();
        output.WriteLine(Invariant($"{"owner",-64} {"bytes",16} {"share",7} {"samples",8} {(options.Messages is null ? "" : "B/message"),10}"));
        foreach (var group in samples.GroupBy(s => s.Owner).OrderByDescending(g => g.Sum(s => s.Bytes)))
        {
            var bytes = group.Sum(s => s.Bytes);
            output.WriteLine(Invariant($"{OwnerRules.Name(group.Key),-64} {bytes,16:N0} {Percent(bytes, total),7} {group.Count(),8} {PerMessage(bytes, options.Messages),10}"));
        }

        output.WriteLine(Invariant($"{"total",-64} {total,16:N0} {"100.0%",7} {samples.Count,8} {PerMessage(total, options.Messages),10}"));
        output.WriteLine();
        output.WriteLine(Invariant($"top allocated types per owner (up to {Math.Min(options.Top, 8)} each):"));
        foreach (var group in samples.GroupBy(s => s.Owner).OrderByDescending(g => g.Sum(s => s.Bytes)))
        {
            output.WriteLine($"  {OwnerRules.Name(group.Key)}");
            foreach (var type in Top(group, s => s.TypeName, Math.Min(options.Top, 8)))
            {
                output.WriteLine(Invariant($"    {type.Bytes,16:N0} {Percent(type.Bytes, total),7} {PerMessage(type.Bytes, options.Messages),10}  {type.Key}"));
            }
        }

        output.WriteLine();
        output.WriteLine(Invariant($"top {options.Top} first frames outside CoreLib (the code that asked for the memory), each a library's with the lab's frame it was called from most:"));
        foreach (var frame in Top(samples, s => s.Frame, options.Top))
        {
            output.WriteLine(Invariant($"  {frame.Bytes,16:N0} {Percent(frame.Bytes, total),7} {PerMessage(frame.Bytes, options.Messages),10}  {Shorten(frame.Key)}"));
            var ofFrame = samples.Where(s => s.Frame == frame.Key).ToList();
            if (ofFrame[0].Owner is not (Owner.Ours or Owner.OursGeneratedProto))
            {
                var (caller, bytes) = Top(ofFrame, s => s.LabCaller ?? "no frame of the lab's on the stack", 1).First();
                output.WriteLine(Invariant($"  {"",16} {Percent(bytes, frame.Bytes),7} {"",10}    via {Shorten(caller)}"));
            }
        }
    }

    private static IEnumerable<(string Key, long Bytes)> Top(IEnumerable<AllocationSample> samples, Func<AllocationSample, string> key, int count) =>
        samples.GroupBy(key).Select(g => (g.Key, g.Sum(s => s.Bytes))).OrderByDescending(g => g.Item2).Take(count);

    private static string Percent(long part, long whole) => Invariant($"{(whole == 0 ? 0 : 100.0 * part / whole):F1}%");

    private static string PerMessage(long bytes, long? messages) => messages is { } n ? Invariant($"{(double)bytes / n:F1}") : "";

    // Method signatures can run to hundreds of characters; the parameter list is cut, the name kept.
    private static string Shorten(string frame) => frame.Length <= 160 ? frame : string.Concat(frame.AsSpan(0, 157), "...");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

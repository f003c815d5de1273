namespace GrpcLoadLab.Bench.AllocationOwners;

/// <summary>One GCAllocationTick: about 100 KB allocated since the last tick, charged to the object that crossed it.</summary>
/// <param name="Frame">The first frame outside the runtime's core library, as module!method, or a placeholder.</param>
/// <param name="LabCaller">The first of the lab's frames from <paramref name="Frame"/> outward (itself when it is the lab's): whose call into a library asked for the memory; null when the stack has none.</param>
internal sealed record AllocationSample(Owner Owner, string TypeName, string Frame, string? LabCaller, long Bytes);

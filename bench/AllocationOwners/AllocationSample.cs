namespace GrpcLoadLab.Bench.AllocationOwners;

/// <summary>One GCAllocationTick: about 100 KB allocated since the last tick, charged to the object that crossed it.</summary>
/// <param name="Frame">The first frame outside the runtime's core library, as module!method, or a placeholder.</param>
internal sealed record AllocationSample(Owner Owner, string TypeName, string Frame, long Bytes);

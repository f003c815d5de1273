namespace GrpcLoadLab.Bench.AllocationOwners;

/// <summary>Whose code asked for an allocation: the module of the first frame outside the runtime's core library.</summary>
internal enum Owner
{
    Ours,
    OursGeneratedProto,
    GrpcDotnet,
    GoogleProtobuf,
    HdrHistogram,
    SystemNetHttp,
    BclNetworking,
    OtherBcl,
    OtherLibrary,
    RuntimeOnly,
    Unresolved,
}

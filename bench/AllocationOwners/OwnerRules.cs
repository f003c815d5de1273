namespace GrpcLoadLab.Bench.AllocationOwners;

/// <summary>Which frames are the runtime's own plumbing, and whose a frame is by its module and method.</summary>
internal static class OwnerRules
{
    /// <summary>
    /// System.Private.CoreLib: the allocation helpers, collections, ArrayPool, the async machinery (state machine
    /// boxes, tasks) and the thread pool. Whoever called into it asked for the memory, so a walk goes past it.
    /// </summary>
    public static bool IsRuntimeCore(string module) =>
        module.Equals("System.Private.CoreLib", StringComparison.OrdinalIgnoreCase);

    /// <summary>The owner of a resolved frame of MODULE (assembly name, no extension) whose method is METHOD (full name).</summary>
    public static Owner Classify(string module, string method)
    {
        if (module.Length == 0 && method.Length == 0)
        {
            return Owner.Unresolved;
        }

        // The lab's assemblies: GrpcLoadLab.* and loadgen itself; the classes generated from protos/ are told apart
        // because protoc, not the lab, wrote them.
        if (method.StartsWith("GrpcLoadLab.Contracts.", StringComparison.Ordinal))
        {
            return Owner.OursGeneratedProto;
        }

        if (module.StartsWith("GrpcLoadLab", StringComparison.OrdinalIgnoreCase) || module.Equals("loadgen", StringComparison.OrdinalIgnoreCase)
            || method.StartsWith("GrpcLoadLab.", StringComparison.Ordinal))
        {
            return Owner.Ours;
        }

        return module switch
        {
            "Grpc.Net.Client" or "Grpc.Core.Api" or "Grpc.Net.Common" or "Grpc.Net.Client.Web" => Owner.GrpcDotnet,
            "Google.Protobuf" => Owner.GoogleProtobuf,
            "HdrHistogram" => Owner.HdrHistogram,
            "System.Net.Http" => Owner.SystemNetHttp,
            _ when module.StartsWith("System.Net.", StringComparison.Ordinal) => Owner.BclNetworking,
            _ when module.StartsWith("System.", StringComparison.Ordinal) || module.StartsWith("Microsoft.", StringComparison.Ordinal)
                || module is "System" or "netstandard" or "mscorlib" => Owner.OtherBcl,
            _ when module.Length == 0 => Owner.Unresolved,
            _ => Owner.OtherLibrary,
        };
    }

    /// <summary>How the report names an owner.</summary>
    public static string Name(Owner owner) => owner switch
    {
        Owner.Ours => "ours (GrpcLoadLab.*, loadgen)",
        Owner.OursGeneratedProto => "ours, protoc-generated (GrpcLoadLab.Contracts)",
        Owner.GrpcDotnet => "grpc-dotnet (Grpc.Net.Client, Grpc.Core.Api, Grpc.Net.Common)",
        Owner.GoogleProtobuf => "Google.Protobuf",
        Owner.HdrHistogram => "HdrHistogram",
        Owner.SystemNetHttp => "System.Net.Http (HTTP/2 client)",
        Owner.BclNetworking => "System.Net.Sockets and other BCL networking",
        Owner.OtherBcl => "other BCL",
        Owner.OtherLibrary => "other libraries",
        Owner.RuntimeOnly => "runtime only (no frame outside CoreLib)",
        Owner.Unresolved => "unresolved",
        _ => owner.ToString(),
    };
}

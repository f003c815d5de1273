using GrpcLoadLab.Balancer.Transport;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.LoadGen.Faults;

/// <summary>
/// SetFault straight to one instance's address (not through the balancer, which would pick any instance). The
/// instance must run with <c>--allow-faults</c>; otherwise it refuses with FAILED_PRECONDITION.
/// </summary>
internal static class ServerFaults
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>All zeros: clears the fault in force.</summary>
    public static FaultRequest Clear { get; } = new();

    /// <summary>Sends <paramref name="request"/>; a refusal or an unreachable instance is thrown as an <see cref="Grpc.Core.RpcException"/>.</summary>
    public static async Task SetAsync(string address, ClientTls? tls, FaultRequest request)
    {
        using var channel = DirectChannel.Create(address, tls);
        await new LoadLab.LoadLabClient(channel).SetFaultAsync(request, deadline: DateTime.UtcNow + Timeout);
    }
}

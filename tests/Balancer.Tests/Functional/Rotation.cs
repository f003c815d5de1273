using Grpc.Net.Client;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Balancer.Tests.Functional;

/// <summary>Waits, by calling, until the rotation is what a test expects; bounded in calls and time.</summary>
internal static class Rotation
{
    /// <summary>
    /// Calls until a round of calls is served by exactly <paramref name="expected"/>; then round-robin's rotation
    /// holds every ready instance and a test's counts start from a settled state.
    /// </summary>
    public static Task WaitUntilServedByAsync(GrpcChannel channel, params string[] expected) =>
        UnaryLoad.WaitUntilServedByAsync(new LoadLab.LoadLabClient(channel), servedBy => servedBy.Keys.ToHashSet().SetEquals(expected));
}

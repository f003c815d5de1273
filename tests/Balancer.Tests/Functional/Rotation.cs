using Grpc.Net.Client;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Balancer.Tests.Functional;

/// <summary>Waits, by calling, until the rotation is what a test expects; bounded in calls and time.</summary>
internal static class Rotation
{
    private const int CallsPerRound = 30;
    private const int MaxRounds = 500;

    /// <summary>
    /// Calls until a round of calls is served by exactly <paramref name="expected"/>; then round-robin's rotation
    /// holds every ready instance and a test's counts start from a settled state.
    /// </summary>
    public static async Task WaitUntilServedByAsync(GrpcChannel channel, params string[] expected)
    {
        var wanted = expected.ToHashSet();
        HashSet<string> seen = [];
        for (var round = 0; round < MaxRounds; round++)
        {
            using var load = await UnaryLoad.RunAsync(new LoadLab.LoadLabClient(channel), workers: 1, CallsPerRound);
            seen = [.. load.ServedBy.Keys];
            if (seen.SetEquals(wanted) && load.Failures.Count == 0)
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"after {MaxRounds} rounds the calls were served by [{string.Join(", ", seen)}], not [{string.Join(", ", wanted)}]");
    }
}

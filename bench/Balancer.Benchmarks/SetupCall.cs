using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Balancer.Benchmarks;

/// <summary>The call a benchmark's setup makes until the fleet and the channel's subchannels are warm.</summary>
internal static class SetupCall
{
    /// <summary>A small unary call, with a deadline so that a setup never hangs on a server that does not answer.</summary>
    public static async Task UnaryAsync(LoadLab.LoadLabClient client) =>
        await client.UnaryAsync(new WorkRequest { ReplySize = 16 }, deadline: DateTime.UtcNow.AddSeconds(10));
}

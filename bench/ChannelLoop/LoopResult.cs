namespace GrpcLoadLab.Bench.ChannelLoop;

/// <summary>What the measured window (warm-up excluded) saw; <see cref="ClientCpu"/> is this process's CPU time in it.</summary>
internal sealed record LoopResult(long Calls, long Errors, TimeSpan Elapsed, TimeSpan ClientCpu, string? FirstError)
{
    public double Rate => Calls / Elapsed.TotalSeconds;
}

namespace GrpcLoadLab.Bench.ChannelLoop;

/// <summary>
/// What the measured window (warm-up excluded) saw: calls (unary calls or whole streams) and messages received that
/// ended in it; <see cref="ClientCpu"/> is this process's CPU time in it.
/// </summary>
internal sealed record LoopResult(long Calls, long Messages, long Errors, TimeSpan Elapsed, TimeSpan ClientCpu, string? FirstError)
{
    public double Rate => Calls / Elapsed.TotalSeconds;

    public double MessageRate => Messages / Elapsed.TotalSeconds;
}

using GrpcLoadLab.LoadGen.Metrics;

namespace GrpcLoadLab.Bench.ChannelLoop;

/// <summary>
/// What the measured window (warm-up excluded) saw: calls (unary calls or whole streams) and messages received that
/// ended in it; <see cref="ClientCpu"/> is this process's CPU time in it.
/// </summary>
/// <param name="GcPause">How long this process's GC paused it in the window: loadgen's self-check judges its own by the same share.</param>
/// <param name="ScheduleLagMicros">An open loop's: how late each measured call was handed to the channel, in µs, sorted.</param>
/// <param name="Dispatcher">An open loop's: how the machine treated its dispatcher in the measured window.</param>
internal sealed record LoopResult(long Calls, long Messages, long Errors, TimeSpan Elapsed, TimeSpan ClientCpu, TimeSpan GcPause, string? FirstError, long[]? ScheduleLagMicros = null, DispatcherTally? Dispatcher = null)
{
    public double Rate => Calls / Elapsed.TotalSeconds;

    public double MessageRate => Messages / Elapsed.TotalSeconds;

    /// <summary>The schedule lag at <paramref name="percentile"/> (0-100), nearest rank; 0 for a closed loop.</summary>
    public long ScheduleLagAt(double percentile) =>
        ScheduleLagMicros is { Length: > 0 } lags ? lags[Math.Clamp((int)Math.Ceiling(percentile / 100 * lags.Length) - 1, 0, lags.Length - 1)] : 0;
}

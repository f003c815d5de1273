using System.Numerics;

namespace GrpcLoadLab.Server.Metrics.Timeline;

/// <summary>
/// Where a recording thread writes: one stripe per processor, so that calls ending on two cores at once write two
/// cache lines instead of contending for one (an atomic add on a line another core holds costs a transfer of it). A
/// thread moved to another core meanwhile only shares a stripe: every stripe is safe for many writers.
/// </summary>
internal static class Stripes
{
    /// <summary>A power of two, at least the processor count up to 16 (a stripe of histograms takes memory).</summary>
    public static readonly int Count = (int)Math.Min(BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount), 16);

    /// <summary>The calling thread's stripe: the runtime caches the processor number, so this is a few instructions.</summary>
    public static int Current => Thread.GetCurrentProcessorId() & (Count - 1);
}

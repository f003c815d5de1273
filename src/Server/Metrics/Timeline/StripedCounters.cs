namespace GrpcLoadLab.Server.Metrics.Timeline;

/// <summary>
/// A few counters, each kept as one cell per stripe (<see cref="Stripes"/>): a writer adds to its own stripe's cell, an
/// atomic add on a line no other core writes, and a reader sums the stripes. Each stripe's cells fill cache lines of
/// their own.
/// </summary>
internal sealed class StripedCounters
{
    /// <summary>128 bytes: a core fetches cache lines in pairs, so two stripes must not share a pair.</summary>
    private const int LineLongs = 16;

    private readonly long[] _cells;
    private readonly int _stride;

    public StripedCounters(int counters)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(counters, 1);
        _stride = (counters + LineLongs - 1) / LineLongs * LineLongs;
        // A stride more in front: the array's length sits in the line before its first cell.
        _cells = new long[(Stripes.Count + 1) * _stride];
    }

    public void Add(int counter, long value) => Interlocked.Add(ref _cells[((Stripes.Current + 1) * _stride) + counter], value);

    /// <summary>The counter's total now; adds made meanwhile may or may not be in it.</summary>
    public long Read(int counter)
    {
        long total = 0;
        for (var at = _stride + counter; at < _cells.Length; at += _stride)
        {
            total += Volatile.Read(ref _cells[at]);
        }

        return total;
    }

    /// <summary>The counter's total since the last take, from which it starts again at zero: each add is in exactly one take.</summary>
    public long Take(int counter)
    {
        long total = 0;
        for (var at = _stride + counter; at < _cells.Length; at += _stride)
        {
            total += Interlocked.Exchange(ref _cells[at], 0);
        }

        return total;
    }
}

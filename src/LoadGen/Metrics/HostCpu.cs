using System.Globalization;

namespace GrpcLoadLab.LoadGen.Metrics;

/// <summary>
/// How busy the whole machine's cores were between two samples, from Linux's <c>/proc/stat</c>: servers, generator,
/// kernel and any other process together. On a machine the servers and the generator share, this is what says
/// whether the cores, rather than the servers, were the limit. Null where <c>/proc/stat</c> cannot be read.
/// </summary>
internal sealed class HostCpu
{
    private const string StatFile = "/proc/stat";

    private (long Busy, long Total)? _last = Read();

    /// <summary>The share of all cores busy since the last sample, 0 to 100; null without <c>/proc/stat</c>.</summary>
    public double? SamplePercent()
    {
        var now = Read();
        var last = _last;
        _last = now;
        if (now is not { } current || last is not { } previous || current.Total <= previous.Total)
        {
            return null;
        }

        return Math.Round(100.0 * (current.Busy - previous.Busy) / (current.Total - previous.Total), 1);
    }

    // The first line: "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in clock ticks. Guest
    // time is already counted in user and nice, so it is left out; idle and iowait are the idle time.
    private static (long Busy, long Total)? Read()
    {
        try
        {
            using var reader = new StreamReader(StatFile);
            var fields = reader.ReadLine()?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields is not { Length: >= 8 } || fields[0] != "cpu")
            {
                return null;
            }

            var ticks = fields.Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var total = ticks.Sum();
            return (total - ticks[3] - ticks[4], total);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return null;
        }
    }
}

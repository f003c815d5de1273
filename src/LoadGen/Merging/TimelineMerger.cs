using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Merging;

/// <summary>
/// Lays the agents' timelines on one clock, the earliest agent's start. An agent that started <c>d</c> seconds after it
/// has its second <c>i</c> (wall clock from its start + i − 1 to its start + i) counted in the merged second
/// <c>i + round(d)</c>, the one it overlaps most; with one <c>--start-at</c>, <c>d</c> is milliseconds and every agent's
/// second i is the merged second i. Counts are added, each second's latency histograms added and read again.
/// </summary>
internal static class TimelineMerger
{
    /// <param name="agents">Each agent's timeline and its start, in seconds after the earliest agent's.</param>
    public static IReadOnlyList<TimelineSecond> Merge(IReadOnlyList<(IReadOnlyList<TimelineSecond> Timeline, double Offset)> agents)
    {
        var bySecond = new SortedDictionary<int, List<(TimelineSecond Second, double Offset)>>();
        foreach (var (timeline, offset) in agents)
        {
            var shift = (int)Math.Round(offset);
            foreach (var second in timeline)
            {
                var at = second.Second + shift;
                if (!bySecond.TryGetValue(at, out var parts))
                {
                    bySecond[at] = parts = [];
                }

                parts.Add((second, offset));
            }
        }

        if (bySecond.Count == 0)
        {
            return [];
        }

        var merged = new List<TimelineSecond>();
        for (var second = bySecond.Keys.First(); second <= bySecond.Keys.Last(); second++)
        {
            // A second no agent closed (one agent's clock jumped a whole second ahead) stays in, empty, so the seconds stay consecutive.
            merged.Add(bySecond.TryGetValue(second, out var parts) ? Add(second, parts) : Empty(second, merged.Count > 0 ? merged[^1].Phase : 0));
        }

        return merged;
    }

    private static TimelineSecond Add(int second, List<(TimelineSecond Second, double Offset)> parts)
    {
        var latency = HistogramSum.Add(parts.Select(p => p.Second.Histogram!));
        var empty = latency.TotalCount == 0;
        var endpoints = new SortedDictionary<string, EndpointSecond>(StringComparer.Ordinal);
        foreach (var (address, calls) in parts.SelectMany(p => p.Second.Endpoints))
        {
            endpoints[address] = endpoints.TryGetValue(address, out var sum) ? new EndpointSecond(sum.Succeeded + calls.Succeeded, sum.Failed + calls.Failed) : calls;
        }

        var hostCpu = parts.Select(p => p.Second.Generator.HostCpuPercent).OfType<double>().ToList();
        return new TimelineSecond(
            second,
            parts.Max(p => p.Second.Phase),
            Math.Round(parts.Sum(p => p.Second.TargetLoad), 2),
            parts.Sum(p => p.Second.Started),
            parts.Sum(p => p.Second.Succeeded),
            parts.Sum(p => p.Second.Failed),
            parts.Sum(p => p.Second.Dropped),
            parts.Sum(p => p.Second.InFlight),
            empty ? 0 : latency.GetValueAtPercentile(50),
            empty ? 0 : latency.GetValueAtPercentile(90),
            empty ? 0 : latency.GetValueAtPercentile(99),
            empty ? 0 : HdrHistogram.HistogramExtensions.GetMaxValue(latency),
            endpoints,
            // Each agent's generator on its own machine: the merged second shows the busiest, the one that could spoil it.
            new GeneratorSecond(
                parts.Max(p => p.Second.Generator.CpuPercent),
                parts.Max(p => p.Second.Generator.GcPauseMillis),
                parts.Max(p => p.Second.Generator.ThreadPoolQueue),
                parts.Max(p => p.Second.Generator.ScheduleLagP99Micros),
                hostCpu.Count == 0 ? null : hostCpu.Max(),
                parts.Max(p => p.Second.Generator.GcCollections),
                parts.Max(p => p.Second.Generator.JitCompiledMethods),
                parts.Max(p => p.Second.Generator.JitMillis)),
            Math.Round(parts.Max(p => p.Offset + (p.Second.EndSeconds ?? p.Second.Second)), 3),
            HistogramCodec.Encode(latency));
    }

    private static TimelineSecond Empty(int second, int phase) =>
        new(second, phase, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, new Dictionary<string, EndpointSecond>(), new GeneratorSecond(0, 0, 0, 0), second);
}

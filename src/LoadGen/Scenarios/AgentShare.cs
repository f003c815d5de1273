using System.Globalization;

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// Agent <see cref="Index"/> of <see cref="Count"/> (<c>loadgen run --agent K/N</c>): the part of a scenario's load it
/// runs, so that the parts of agents 1 to N add up to the whole exactly. One rule serves every model: number the
/// whole's callers, calls and arrivals from 0, and item <c>i</c> belongs to agent <c>(i mod N) + 1</c>. So a
/// closed-model phase's callers, an iterations phase's calls and an open-model phase's arrivals are dealt out like
/// cards; every agent draws the whole schedule from the scenario's seed and keeps its own arrivals, so the union of the
/// agents' schedules is the scenario's, arrival for arrival (Poisson included).
/// </summary>
public sealed record AgentShare
{
    public AgentShare(int index, int count)
    {
        if (Limits.Agents.Problem(count) is not null || index < 1 || index > count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"agent {index}/{count} is not one of 1 to {count}");
        }

        Index = index;
        Count = count;
    }

    /// <summary>The whole load: one agent of one, the share of every run without <c>--agent</c>.</summary>
    public static AgentShare Whole { get; } = new(1, 1);

    /// <summary>K, from 1.</summary>
    public int Index { get; }

    /// <summary>N, the number of agents that share the load.</summary>
    public int Count { get; }

    /// <summary>K/N, as <c>--agent</c> takes it.</summary>
    public string Text => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    /// <summary>Whether item <paramref name="item"/> of the whole (a caller, a call, an arrival, numbered from 0) is this agent's.</summary>
    public bool Owns(long item) => item % Count == Index - 1;

    /// <summary>How many of the whole's first <paramref name="total"/> items are this agent's: ⌊total / N⌋, one more for agents 1 to total mod N.</summary>
    public long Of(long total) => (total / Count) + (Index - 1 < total % Count ? 1 : 0);

    /// <inheritdoc cref="Of(long)"/>
    public int Of(int total) => (int)Of((long)total);

    /// <summary>The whole's callers of a closed-model phase that this agent runs, by their number in the whole.</summary>
    public IEnumerable<int> CallersOf(ClosedPhase phase)
    {
        ArgumentNullException.ThrowIfNull(phase);
        return Enumerable.Range(0, phase.Callers).Where(caller => Owns(caller));
    }

    /// <summary>The calls this agent's callers share in a phase with a call limit (iterations); null when they call until the phase ends.</summary>
    public long? CallLimitOf(ClosedPhase phase)
    {
        ArgumentNullException.ThrowIfNull(phase);
        return phase.CallLimit is { } limit ? Of(limit) : null;
    }

    /// <summary>
    /// This agent's arrivals of an open-model phase, in seconds from the phase's start: the whole schedule drawn from
    /// <paramref name="random"/> (so the random source moves on exactly as the whole run's would), every Nth kept.
    /// </summary>
    public IEnumerable<double> ArrivalsOf(OpenPhase phase, Random random)
    {
        ArgumentNullException.ThrowIfNull(phase);
        long arrival = 0;
        foreach (var due in phase.Arrivals(random))
        {
            if (Owns(arrival++))
            {
                yield return due;
            }
        }
    }

    /// <summary>
    /// The load this agent holds <paramref name="elapsed"/> into a phase: its callers of the whole's (rounded) target
    /// concurrency — the callers the closed loop runs at that instant —, or its 1/N of the whole's rate.
    /// </summary>
    public double TargetOf(LoadPhase phase, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(phase);
        var whole = phase.TargetAt(elapsed);
        return Count == 1 ? whole
            : phase is ClosedPhase ? Of((long)Math.Round(whole))
            : whole / Count;
    }

    /// <summary>
    /// What keeps this share from holding part of every phase that makes calls — fewer callers, calls or arrivals than
    /// agents, so that some agent would measure nothing —, or null when each agent has some of each.
    /// </summary>
    public string? Problem(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (Count == 1)
        {
            return null;
        }

        if (scenario.MaxOutstanding < Count)
        {
            return $"maxOutstanding {scenario.MaxOutstanding} is split among the agents, and {Count} agents need at least one each: run at most {scenario.MaxOutstanding} agents";
        }

        foreach (var phase in scenario.Phases.Where(p => p.MakesCalls))
        {
            // Only the first N arrivals are drawn (a phase may hold billions). A Poisson phase's are drawn from the seed
            // afresh: after other phases the run's own draw may differ by a call or two, only ever at this edge.
            var (items, what) = phase switch
            {
                ClosedPhase { CallLimit: { } calls } closed when calls < closed.Callers => (calls, "calls"),
                ClosedPhase closed => (closed.Callers, "callers"),
                OpenPhase open => (open.Arrivals(new Random(scenario.Seed)).Take(Count).LongCount(), "scheduled calls"),
                _ => (long.MaxValue, ""),
            };
            if (items < Count)
            {
                return $"the phase '{phase.DisplayName}' has {items} {what}, fewer than the {Count} agents that share it: run at most {items} agents, or give the phase more load";
            }
        }

        return null;
    }

    /// <summary>Reads <c>K/N</c>; false with what is wrong, in words, otherwise.</summary>
    public static bool TryParse(string text, out AgentShare? share, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        share = null;
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            problem = $"'{text}' is not K/N: give this agent's number and the number of agents, e.g. --agent 2/3";
            return false;
        }

        if (Limits.Agents.Problem(count) is { } countProblem)
        {
            problem = $"{text}: the number of agents {countProblem}";
            return false;
        }

        if (index < 1 || index > count)
        {
            problem = $"{text}: the agent's number must be from 1 to {count}, e.g. --agent 1/{count}";
            return false;
        }

        share = new AgentShare(index, (int)count);
        problem = null;
        return true;
    }
}

using GrpcLoadLab.Balancer;
using GrpcLoadLab.LoadGen.Scenarios.Json;

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// A grid of experiments, as a sweep file describes it: one scenario run once per combination of work profile,
/// instance count, balancing policy and load level. Every cell is a normal run; the sweep restarts the fleet through
/// the fleet script whenever the instance count or the profile's fleet settings change. Beside the scenario it names,
/// because a sweep file is configuration as a scenario file is (Sweeps/ runs it; sweep.json keeps it).
/// </summary>
[SchemaLinked]
public sealed record SweepSpec
{
    /// <summary>Names the sweep's folder (<c>reports/TIME-sweep-NAME</c>) and prefixes every cell's run.</summary>
    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary>
    /// The scenario file every cell runs, relative to the sweep file: its call kind, sizes, deadline and target options.
    /// The sweep sets the target (its own fleet), the policy, the work (when profiles are given) and the phases.
    /// </summary>
    public required string Scenario { get; init; }

    /// <summary>Instance counts to run, each with a freshly started fleet, e.g. <c>[1, 2, 4, 8]</c>.</summary>
    public required IReadOnlyList<int> Instances { get; init; }

    /// <summary>Closed model: the callers of each cell. Give this or <see cref="Rate"/>.</summary>
    public IReadOnlyList<int>? Concurrency { get; init; }

    /// <summary>Open model: calls a second of each cell. Give this or <see cref="Concurrency"/>.</summary>
    public IReadOnlyList<double>? Rate { get; init; }

    /// <summary>
    /// When true, each load level is per instance: N instances get N times the level, so every instance count sees the
    /// same load per instance. Default: false (the levels are totals).
    /// </summary>
    public bool PerInstance { get; init; }

    /// <summary>The loads a fleet of <paramref name="instances"/> runs at, lowest first: the levels, times the instances when <see cref="PerInstance"/>.</summary>
    public IEnumerable<double> Loads(int instances) =>
        (Rate ?? Concurrency?.Select(c => (double)c) ?? []).Order().Select(level => PerInstance ? level * instances : level);

    /// <summary>Balancing policies to run. Default: the scenario's.</summary>
    public IReadOnlyList<BalancingPolicy>? Policies { get; init; }

    /// <summary>Work profiles to run. Default: one profile, named after the scenario, with its work and an unlimited fleet.</summary>
    public IReadOnlyList<WorkProfile>? Profiles { get; init; }

    /// <summary>Warm-up before each cell's measurement, at the cell's load; excluded from its figures. Default: 2 s.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// More warm-up for the first cell on a freshly started fleet: new server processes compile their hot paths during
    /// their first thousands of calls, which a short warm-up at a light load does not give them. Default: 3 s.
    /// </summary>
    public TimeSpan FleetWarmup { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long each cell is measured. Default: 10 s.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The fleet's first port; instance i listens on BasePort + i − 1. Default: 5301, apart from a hand-started fleet's 5001.</summary>
    public int BasePort { get; init; } = 5301;

    /// <summary>
    /// TLS served by a fleet of the lab's own server, for a scenario whose <c>target.tls</c> speaks it (that is also
    /// what the fleet's readiness checks use). Default: plaintext. A profile's <c>command</c> gives its own TLS options.
    /// </summary>
    public ServerTlsSpec? ServerTls { get; init; }
}

using System.Diagnostics.CodeAnalysis;
using GrpcLoadLab.LoadGen.Fleet;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Sweeps;

/// <summary>
/// A loaded sweep and its cells in the order they run: profile, then instance count, then policy, then load, so that
/// the fleet restarts only when the instance count or the profile's fleet settings change.
/// </summary>
public sealed class SweepPlan
{
    public SweepPlan(SweepSpec spec, Scenario scenario)
    {
        Spec = spec;
        Scenario = scenario;
        Profiles = spec.Profiles ?? [new WorkProfile { Name = scenario.Name, Delay = scenario.Call.Delay, Cpu = scenario.Call.Cpu }];
        Policies = spec.Policies ?? [scenario.Target.Policy];
        var open = spec.Rate is not null;
        var cells = new List<SweepCell>();
        foreach (var profile in Profiles)
        {
            foreach (var instances in spec.Instances.Order())
            {
                foreach (var policy in Policies)
                {
                    foreach (var load in spec.Loads(instances))
                    {
                        cells.Add(new SweepCell(cells.Count, profile, policy, instances, open, load));
                    }
                }
            }
        }

        Cells = cells;
    }

    public SweepSpec Spec { get; }

    /// <summary>The scenario every cell is made from.</summary>
    public Scenario Scenario { get; }

    public IReadOnlyList<WorkProfile> Profiles { get; }

    public IReadOnlyList<Balancer.BalancingPolicy> Policies { get; }

    public IReadOnlyList<SweepCell> Cells { get; }

    /// <summary>Roughly how long the cells' load lasts, without the fleet's starts.</summary>
    public TimeSpan LoadTime => ((Spec.Warmup + Spec.Duration) * Cells.Count) + (Spec.FleetWarmup * FleetStarts);

    /// <summary>How many times the fleet starts (see <see cref="StartsFleet"/>).</summary>
    public int FleetStarts => Cells.Count(StartsFleet);

    /// <summary>The fleet <paramref name="cell"/> runs on: its profile's, at the sweep's ports, speaking the sweep's TLS.</summary>
    public FleetSettings Fleet(SweepCell cell) => cell.Fleet(Spec.BasePort, Tls);

    /// <summary>
    /// The fleet's TLS: readiness checked with the scenario's <c>target.tls</c>, the lab's server serving the sweep's
    /// <c>serverTls</c>; null when the target is plaintext. The loader has checked that the two go together.
    /// </summary>
    public FleetTls? Tls => Scenario.Target.Tls is { } client
        ? new FleetTls(FullPath(client.CaFile!), FullPath(client.CertFile), FullPath(client.KeyFile), FullPath(Spec.ServerTls?.CertFile), FullPath(Spec.ServerTls?.KeyFile), FullPath(Spec.ServerTls?.ClientCaFile))
        : null;

    /// <summary>True when <paramref name="cell"/> needs another fleet than the cell before it (the first always does): the fleet restarts there.</summary>
    public bool StartsFleet(SweepCell cell) => cell.Index == 0 || Fleet(cell) != Fleet(Cells[cell.Index - 1]);

    /// <summary>
    /// The scenario of one cell: the base scenario aimed at the sweep's fleet (<paramref name="registry"/>), with the
    /// cell's policy, the profile's work, a warm-up and a measured phase at the cell's load, and no thresholds (a sweep
    /// measures; it does not judge). The first cell on a <paramref name="freshFleet"/> first warms the fleet up for
    /// <see cref="SweepSpec.FleetWarmup"/> (see <see cref="FleetWarmup"/>).
    /// </summary>
    public Scenario ScenarioFor(SweepCell cell, string registry, string reportsFolder, bool freshFleet)
    {
        var warmups = freshFleet && Spec.FleetWarmup > TimeSpan.Zero
            ? new[] { FleetWarmup(cell) with { Name = "fleet warm-up", Warmup = true }, Phase(cell, Spec.Warmup) with { Name = "warm-up", Warmup = true } }
            : [Phase(cell, Spec.Warmup) with { Name = "warm-up", Warmup = true }];
        var name = cell.RunName(Spec, namePolicy: Policies.Count > 1);
        return Scenario with
        {
            Name = name,
            Description = $"Sweep {Spec.Name}, profile {cell.Profile.Name}: {cell.Instances} instance{(cell.Instances == 1 ? "" : "s")}, {cell.LoadText}, {Spellings.Policy.Name(cell.Policy)}.",
            Target = Scenario.Target with { Address = TargetAddress.Registry(registry), Policy = cell.Policy },
            Call = Scenario.Call with { Delay = cell.Profile.Delay, Cpu = cell.Profile.Cpu },
            Phases = [.. warmups, Phase(cell, Spec.Duration)],
            Thresholds = [],
            // A scenario's faults name instances of one fleet; a sweep's fleets differ in size, and it measures capacity.
            Faults = [],
            Report = new ReportSpec { Directory = reportsFolder },
        };
    }

    /// <summary>
    /// A fresh fleet's warm-up: at the highest concurrency its cells will ask (closed model), so that every instance has
    /// compiled and sized its pools before the lowest load is measured (at 1 caller an instance may see too few calls
    /// to finish its JIT tiering); at the cell's own rate in the open model, where a higher rate would leave a backlog.
    /// </summary>
    private LoadPhase FleetWarmup(SweepCell cell)
    {
        if (cell.OpenModel)
        {
            return Phase(cell, Spec.FleetWarmup);
        }

        var highest = Cells.Where(c => Fleet(c) == Fleet(cell) && c.Profile == cell.Profile).Max(c => c.Load);
        return new ConstantConcurrencyPhase((int)highest, Spec.FleetWarmup);
    }

    [return: NotNullIfNotNull(nameof(path))]
    private static string? FullPath(string? path) => path is null ? null : Path.GetFullPath(path);

    private static LoadPhase Phase(SweepCell cell, TimeSpan duration) =>
        cell.OpenModel ? new ConstantRatePhase(cell.Load, duration) : new ConstantConcurrencyPhase((int)cell.Load, duration);
}

using System.Globalization;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Study;

/// <summary>
/// The study's findings in words, made from the measured numbers alone: where concurrency stopped paying on the fewest
/// instances (<see cref="KneeRule"/>) and which bound it met, what each added instance bought against its bound, what
/// running more instances than cores cost, and what the USL fit says. Every sentence states a measurement, so it stays
/// true whatever the machine. Figures are written as the run reports write them (<see cref="NumberText"/>).
/// </summary>
public static class StudyExplanation
{
    /// <summary>Growth below this share counts as "stopped helping".</summary>
    internal const double Flat = 0.05;

    /// <summary>Efficiency from which scaling reads as "close to linear".</summary>
    internal const double NearLinear = 0.9;

    /// <summary>A run reaching this share of its bound counts as having met it.</summary>
    internal const double AtBound = 0.9;

    /// <summary>Little's law missed by more than this share says the run was not a stable system.</summary>
    private const double LittleTolerance = 0.1;

    /// <summary>A predicted peak or ceiling this many times above the measurements is no prediction worth stating.</summary>
    private const double FarBeyond = 10;

    /// <summary>Other processes keeping this share of the cores busy means the lab did not have the machine to itself.</summary>
    private const double SharedMachine = 0.2;

    /// <summary>Busy cores from this share of the machine count as "the cores were the limit".</summary>
    private const double CoresSaturated = 0.85;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// Paragraphs for one profile: load on the fewest instances, scaling over instances, what the servers' own timelines
    /// saw, and the USL fit.
    /// </summary>
    public static IReadOnlyList<string> Of(ProfileStudy study, int cores) =>
        [.. new[] { LoadParagraph(study, cores), ScalingParagraph(study, cores), ServersParagraph(study), FitParagraph(study) }.OfType<string>()];

    /// <summary>One paragraph setting the profiles side by side; null with one profile.</summary>
    public static string? Comparison(StudyAnalysis analysis)
    {
        var scaled = analysis.Profiles.Where(p => p.Scaling.Count >= 2).ToList();
        if (scaled.Count < 2)
        {
            return null;
        }

        var outcomes = string.Join("; ", scaled.Select(p =>
        {
            var last = p.Scaling[^1];
            return F($"{p.Label(analysis.SeveralPolicies)} reached {X(last.Speedup)}× on {last.Instances} instances ({Pct(last.Efficiency)} efficiency)");
        }));
        return $"Side by side: {outcomes}. Concurrency lets one instance use what it has — its capacity slots, its share of the cores — "
            + "until one of them runs out; more instances add capacity only when they bring more of the resource that ran out. "
            + "Capacity slots come with every instance; a machine's cores do not.";
    }

    private static string? LoadParagraph(ProfileStudy study, int cores)
    {
        var curve = study.LoadCurve;
        if (curve.Count < 2)
        {
            return null;
        }

        var first = curve[0];
        var peak = curve.MaxBy(c => c.Throughput)!;
        var last = curve[^1];
        var instances = first.Cell.Instances;
        var what = study.OpenModel ? "offered load" : "concurrency";
        var top = study.Knee?.Before ?? last;
        var text = top == first
            ? F($"On {Instances(instances)}, throughput was already {Rate(first.Throughput)} calls/s at the lowest {what} tried, {first.Cell.LoadText}. ")
            : F($"On {Instances(instances)}, throughput rose from {Rate(first.Throughput)} calls/s at {first.Cell.LoadText} to {Rate(top.Throughput)} calls/s at {top.Cell.LoadText}")
                + (first.Throughput > 0 ? F($" ({X(top.Throughput / first.Throughput)}×). ") : ". ");
        var bound = study.Bound(instances, cores);
        if (study.Knee is { } knee)
        {
            text += F($"The knee is at {top.Cell.LoadText}: from there to {knee.After.Cell.LoadText} throughput gained {SignedPct(knee.ThroughputGain)} while mean latency grew {SignedPct(knee.LatencyGrowth)} ({Ms(top.MeanLatencyMs)} → {Ms(knee.After.MeanLatencyMs)} ms)");
            text += study.OpenModel
                ? F($" and p99 went from {Ms(top.P99Ms)} to {Ms(knee.After.P99Ms)} ms: past its capacity, calls queue for as long as the load lasts (the hockey stick). ")
                : ": past it the extra calls mostly waited (Little's law, X = L/W: with X nearly fixed, W grows with L). ";
            if (last.Throughput < (1 - Flat) * peak.Throughput)
            {
                text += F($"Past the knee throughput fell, from {Rate(peak.Throughput)} calls/s at {peak.Cell.LoadText} to {Rate(last.Throughput)} calls/s at {last.Cell.LoadText} ({SignedPct((last.Throughput / peak.Throughput) - 1)}). ");
            }

            text += bound is null
                ? string.Empty
                : peak.Throughput >= AtBound * bound.CallsPerSecond
                    ? F($"That is a knee at {bound.Name}: {bound.Formula}, {Pct(peak.Throughput / bound.CallsPerSecond)} of it reached ({Rate(peak.Throughput)} calls/s at {peak.Cell.LoadText}). ")
                    : F($"The knee came before {bound.Name} ({bound.Formula}): {Pct(peak.Throughput / bound.CallsPerSecond)} of it reached ({Rate(peak.Throughput)} calls/s at {peak.Cell.LoadText}), so something else ran out first. ");
        }
        else
        {
            var step = KneeStep.Between(curve[^2], last);
            text += F($"It was still rising at the highest {what} tried: its last step, from {step.Before.Cell.LoadText}, gained {SignedPct(step.ThroughputGain)} throughput for {SignedPct(step.LatencyGrowth)} latency. ");
            text += bound is null
                ? "Add higher levels to find the knee. "
                : F($"{Pct(last.Throughput / bound.CallsPerSecond)} of {bound.Name} ({bound.Formula}) reached so far: add higher levels to find the knee. ");
        }

        if (peak.BusyCores is not null)
        {
            text += Sentence(Busy(peak, cores)) + " ";
        }

        return (text + Little(curve, what)).TrimEnd();
    }

    // Little's law on every level: X measured against L/W; nothing when a run measured no calls in flight.
    private static string Little(IReadOnlyList<CellFigures> curve, string what)
    {
        if (curve.Any(c => c.Throughput > 0 && c.LittleThroughput <= 0))
        {
            return string.Empty;
        }

        var worst = curve.MaxBy(c => Math.Abs(c.LittleDeviation))!;
        var off = NumberText.Percent(Math.Abs(worst.LittleDeviation), 1);
        return Math.Abs(worst.LittleDeviation) <= LittleTolerance
            ? F($"Little's law (X = L/W) held within {off} on every {what} level (worst at {worst.Cell.LoadText}).")
            : F($"Little's law (X = L/W) missed by {off} at {worst.Cell.LoadText} ({Rate(worst.Throughput)} calls/s measured, {Rate(worst.LittleThroughput)} from L/W): that run was not a steady system (its queue still grew), or its latency counted time outside the calls in flight.");
    }

    private static string? ScalingParagraph(ProfileStudy study, int cores)
    {
        var steps = study.Scaling;
        if (steps.Count < 2)
        {
            return null;
        }

        var baseline = steps[0];
        var text = "Adding instances: " + string.Join(", ", steps.Skip(1).Select(s =>
            F($"{s.Instances} gave {X(s.Speedup)}× the throughput of {baseline.Instances} ({Pct(s.Efficiency)} efficiency)"))) + ". ";
        text += "Against " + string.Join("; ", steps.Select(s => study.Bound(s.Instances, cores) is { } b
            ? F($"{Instances(s.Instances)}: {b.Name}, {b.Formula}, {Pct(s.Throughput / b.CallsPerSecond)} reached")
            : F($"{Instances(s.Instances)}: {Rate(s.Throughput)} calls/s"))) + ". ";
        var stall = steps.Skip(1).FirstOrDefault(s => s.Efficiency < NearLinear);
        if (stall is null)
        {
            var top = steps[^1];
            text += "Scaling was close to linear: each instance brought its own capacity.";
            text += top.BusyCores switch
            {
                null => " How busy the cores were is unknown: neither the machine's nor the servers' CPU could be read.",
                var busy when busy >= CoresSaturated * cores => F($" At {top.Instances} instances {Busy(top.Best, cores)}: the next instances would find no free core."),
                _ => F($" Even at {top.Instances} instances {Busy(top.Best, cores)}: the work waits more than it computes, so the cores never became the limit."),
            };
            return text;
        }

        var before = steps[steps.ToList().IndexOf(stall) - 1];
        var gain = before.Throughput > 0 ? (stall.Throughput - before.Throughput) / before.Throughput : 0;
        var linearGain = ((double)stall.Instances / before.Instances) - 1;
        text += F($"From {before.Instances} to {stall.Instances} instances throughput changed by {SignedPct(gain)}, where linear scaling would add {SignedPct(linearGain)}. ");
        var busiest = (before.BusyCores ?? -1) >= (stall.BusyCores ?? -1) ? before : stall;
        text += busiest.BusyCores switch
        {
            null => "How busy the cores were is unknown: neither the machine's nor the servers' CPU could be read.",
            var busy when busy >= CoresSaturated * cores => F($"On {Instances(busiest.Instances)} {Busy(busiest.Best, cores)}: the cores, not the servers, were the limit."),
            _ => F($"The cores were not the limit ({Busy(stall.Best, cores)}): look at what the instances share — the balancer, the generator, a common dependency."),
        };
        return text + Oversubscription(steps, cores);
    }

    // Instances beyond the cores bring no core: what running them cost, from what the servers and the machine measured.
    private static string Oversubscription(IReadOnlyList<ScalingStep> steps, int cores)
    {
        var within = steps.LastOrDefault(s => s.Instances <= cores);
        var beyond = steps.LastOrDefault(s => s.Instances > cores);
        if (within is null || beyond is null || beyond.Throughput >= (1 + Flat) * within.Throughput)
        {
            return string.Empty;
        }

        var change = within.Throughput > 0 ? (beyond.Throughput / within.Throughput) - 1 : 0;
        var text = change <= -Flat
            ? F($" Past the cores, {beyond.Instances} instances gave {Rate(beyond.Throughput)} calls/s, {Pct(-change)} less than {within.Instances} ({Rate(within.Throughput)}): {beyond.Instances} server processes on {cores} cores cost more than they brought.")
            : F($" Past the cores, {beyond.Instances} instances gave {Rate(beyond.Throughput)} calls/s against {Rate(within.Throughput)} on {within.Instances} ({SignedPct(change)}): instances beyond the {cores} cores brought no core.");
        if (within.Best.ServerCores is { } coresBefore && beyond.Best.ServerCores is { } coresAfter)
        {
            text += F($" The servers kept {Cores(coresBefore)} → {Cores(coresAfter)} cores busy");
            text += beyond.Best.HostCores is { } host ? F($" while the machine was {Cores(host)} busy") : string.Empty;
            text += within.Best.ServerCpuPerCallMs is { } perCallBefore && beyond.Best.ServerCpuPerCallMs is { } perCallAfter
                ? F($", and each call cost them {Ms(perCallBefore)} → {Ms(perCallAfter)} ms of CPU: the oversubscription's price — processes taking turns on the same cores (context switches, caches each one finds cold), and the rest of the machine's share of the cores.")
                : ".";
        }

        return text;
    }

    private static string? FitParagraph(ProfileStudy study)
    {
        if (study.ScalingFit is not { } fit)
        {
            return study.Scaling.Count is > 0 and < StudyAnalysis.FewestFitPoints
                ? F($"No USL fit: it needs at least {StudyAnalysis.FewestFitPoints} instance counts, the sweep ran {study.Scaling.Count}.")
                : null;
        }

        var text = F($"The Universal Scalability Law fitted over instances gives σ = {fit.Sigma:0.####}, κ = {fit.Kappa:0.#####} and λ = {Rate(fit.Lambda)} calls/s for one instance, R² = {fit.RSquared:0.###}. ")
            + "σ (contention) is the share of the work that waits its turn for something every instance needs — here the machine's cores; "
            + "κ (crosstalk) is a cost that grows with every pair of instances — these instances share no state, so here it is their contending for the same cores, caches and scheduler. ";
        var measured = study.Scaling.Max(s => s.Throughput);
        text += fit.PeakInstances is { } peak && double.IsFinite(peak) && fit.PeakThroughput < FarBeyond * measured
            ? F($"It puts the peak at {peak:0.#} instances, {Rate(fit.PeakThroughput!.Value)} calls/s; beyond that, more instances would lower throughput.")
            : fit.AmdahlCeiling is { } ceiling && ceiling < FarBeyond * measured
                ? F($"It predicts no peak: throughput keeps rising towards {Rate(ceiling)} calls/s (λ/σ), ever more slowly.")
                : "σ and κ are so close to 0 that it predicts no limit within ten times the throughput measured: scaling was linear here.";
        if (fit.Points <= StudyAnalysis.FewestFitPoints)
        {
            text += F($" {fit.Points} points hardly test a model of 3 parameters: the numbers describe these points, not a trend (the USL tools ask for 6).");
        }

        return text;
    }

    // What the servers' own timelines saw at the heaviest cells: the most load on the fewest instances, and the best
    // run of the most instances (as the paragraphs on load and on scaling, nothing for a single cell). Which instances saturated the cores they could use, where calls queued for a capacity
    // slot or in Kestrel's queue of received streams, and whether Little's law held per instance.
    private static string? ServersParagraph(ProfileStudy study)
    {
        var cells = new[] { study.LoadCurve.Count >= 2 ? study.LoadCurve[^1] : null, study.Scaling.Count >= 2 ? study.Scaling[^1].Best : null }
            .OfType<CellFigures>().Distinct().ToList();
        if (cells.Count == 0)
        {
            return null;
        }

        if (cells.All(c => c.Servers is null))
        {
            return "The servers' own timelines were not recorded in these runs (results written before loadgen followed the servers, or runs with --no-follow): "
                + "the findings use only each server's counters at its run's start and end.";
        }

        return "The servers' own timelines: " + string.Join(" ", cells.Where(c => c.Servers is not null).Select(ServersAt));
    }

    private static string ServersAt(CellFigures cell)
    {
        var servers = cell.Servers!;
        var where = F($"at {cell.Cell.LoadText} on {Instances(cell.Cell.Instances)}");
        if (servers.Count == 0)
        {
            return F($"{where} no instance sent a second of the measured phase.");
        }

        var each = string.Join("; ", servers.Select(s =>
            F($"{s.InstanceId} kept {Pct(s.CpuShare)} of its {Plural(s.Cores, "core")} busy (peak {Pct(s.PeakCpuShare)}), {Number(s.MeanQueued)} calls queued for a slot on average (peak {s.PeakQueued}), {Number(s.MeanQueuedRequests)} streams queued in Kestrel (peak {s.PeakQueuedRequests})")));
        var saturated = servers.Where(s => s.CpuShare >= CoresSaturated).Select(s => s.InstanceId).ToList();
        var atSlots = servers.Where(s => s.PeakQueued > 0).Select(s => s.InstanceId).ToList();
        var atStreams = servers.Where(s => s.PeakQueuedRequests > 0).Select(s => s.InstanceId).ToList();
        var text = F($"{where}, {each}. ");
        text += saturated.Count > 0
            ? F($"{Names(saturated)} saturated {(saturated.Count == 1 ? "its" : "their")} CPU (at least {Pct(CoresSaturated)} of {(saturated.Count == 1 ? "its" : "their")} cores on average): the work's CPU was the limit there. ")
            : "No instance saturated its CPU. ";
        text += atSlots.Count > 0 ? F($"Calls queued at the capacity limit on {Names(atSlots)}. ") : "No call waited for a capacity slot. ";
        text += atStreams.Count > 0
            ? F($"Kestrel queued received streams for a thread on {Names(atStreams)}: calls waited before the server's handler began them, a wait the server-side duration does not include. ")
            : "Kestrel queued no stream for a thread. ";
        var checkable = servers.Where(s => s.LittleDeviation is not null).ToList();
        if (checkable.Count > 0)
        {
            var worst = checkable.MaxBy(s => Math.Abs(s.LittleDeviation!.Value))!;
            text += Math.Abs(worst.LittleDeviation!.Value) <= LittleTolerance
                ? F($"Little's law held on every instance within {NumberText.Percent(Math.Abs(worst.LittleDeviation.Value), 1)} (calls in flight measured against throughput × mean duration).")
                : F($"Little's law missed by {NumberText.Percent(Math.Abs(worst.LittleDeviation.Value), 1)} on {worst.InstanceId} ({Number(worst.MeanInFlight)} calls in flight measured, {Number(worst.LittleInFlight!.Value)} from throughput × mean duration).");
        }

        return text.TrimEnd();
    }

    private static string Names(List<string> names) =>
        names.Count == 1 ? names[0] : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1];

    private static string Plural(int n, string what) => n == 1 ? F($"1 {what}") : F($"{n} {what}s");

    private static string Number(double value) => NumberText.Number(Math.Round(value, 1));

    // Who kept the cores busy: the machine's own figure where it was read, with the servers' and the generator's shares
    // and, when other processes took a noticeable share, a word that the lab shared the machine while it measured.
    // Called only where BusyCores is known.
    private static string Busy(CellFigures cell, int cores)
    {
        var parts = (cell.ServerCores is { } servers ? F($"servers {Cores(servers)}, ") : string.Empty) + F($"load generator {Cores(cell.GeneratorCores)}");
        if (cell.HostCores is not { } host)
        {
            return F($"the servers and the generator kept {Cores(cell.BusyCores ?? 0)} of the machine's {cores} cores busy ({parts})");
        }

        var others = Math.Max(0, host - (cell.ServerCores ?? 0) - cell.GeneratorCores);
        var shared = others >= SharedMachine * cores ? "; other work shared the machine while this was measured" : string.Empty;
        return F($"the machine's {cores} cores were {Cores(host)} busy ({parts}, kernel and other processes {Cores(others)}{shared})");
    }

    private static string Sentence(string clause) => char.ToUpperInvariant(clause[0]) + clause[1..] + ".";

    private static string Instances(int n) => n == 1 ? "one instance" : F($"{n} instances");

    internal static string Rate(double perSecond) => NumberText.Rate(perSecond);

    private static string Ms(double millis) => NumberText.Millis(millis);

    internal static string X(double ratio) => ratio.ToString("0.00", Invariant);

    private static string Cores(double cores) => cores.ToString(cores < 1 ? "0.00" : "0.0", Invariant);

    internal static string Pct(double share) => NumberText.Percent(share, 0);

    internal static string SignedPct(double share) => double.IsPositiveInfinity(share) ? "+∞" : (share >= 0 ? "+" : "") + NumberText.Percent(share, 0);

    internal static string F(FormattableString text) => text.ToString(Invariant);
}

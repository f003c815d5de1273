using System.Globalization;
using GrpcLoadLab.LoadGen.Terminal;

namespace GrpcLoadLab.LoadGen.Study;

/// <summary>
/// The study's findings in words, made from the measured numbers alone: how far concurrency carried the fewest
/// instances and why it stopped there, what each added instance bought, where the machine's cores became the limit,
/// and what the USL fit says. Every sentence states a measurement, so it stays true whatever the machine.
/// </summary>
public static class StudyExplanation
{
    /// <summary>Growth below this share counts as "stopped helping".</summary>
    private const double Flat = 0.05;

    /// <summary>Efficiency from which scaling reads as "close to linear".</summary>
    private const double NearLinear = 0.9;

    /// <summary>A predicted peak or ceiling this many times above the measurements is no prediction worth stating.</summary>
    private const double FarBeyond = 10;

    /// <summary>Other processes keeping this share of the cores busy means the lab did not have the machine to itself.</summary>
    private const double SharedMachine = 0.2;

    /// <summary>Busy cores from this share of the machine count as "the cores were the limit".</summary>
    private const double CoresSaturated = 0.85;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Paragraphs for one profile: load on the fewest instances, scaling over instances, and the USL fit.</summary>
    public static IReadOnlyList<string> Of(ProfileStudy study, int cores) =>
        [.. new[] { LoadParagraph(study, cores), ScalingParagraph(study, cores), FitParagraph(study) }.OfType<string>()];

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
        if (curve.Count < 2 || study.Knee is not { } knee)
        {
            return null;
        }

        var first = curve[0];
        var peak = curve.MaxBy(c => c.Throughput)!;
        var last = curve[^1];
        var instances = first.Cell.Instances;
        var what = study.OpenModel ? "offered load" : "concurrency";
        var text = knee == first
            ? F($"On {Instances(instances)}, throughput was already {Rate(first.Throughput)} calls/s at the lowest {what} tried, {first.Cell.LoadText}. ")
            : F($"On {Instances(instances)}, throughput rose from {Rate(first.Throughput)} calls/s at {first.Cell.LoadText} to {Rate(knee.Throughput)} calls/s at {knee.Cell.LoadText}")
                + (first.Throughput > 0 ? F($" ({X(knee.Throughput / first.Throughput)}×). ") : ". ");
        if (knee == last)
        {
            return text + $"It was still rising at the highest {what} tried: add higher levels to find where it stops.";
        }

        var growth = knee.Throughput > 0 ? (last.Throughput - knee.Throughput) / knee.Throughput : 0;
        text += F($"Beyond {knee.Cell.LoadText}, more {what} changed throughput by {SignedPct(growth)} while mean latency went from {Ms(knee.MeanLatencyMs)} ms to {Ms(last.MeanLatencyMs)} ms");
        text += study.OpenModel
            ? " and p99 from " + Ms(knee.P99Ms) + " ms to " + Ms(last.P99Ms) + " ms: past its capacity, calls queue for as long as the load lasts (the hockey stick). "
            : ": the extra calls only waited (Little's law, X = L/W: with X fixed, W grows with L). ";
        text += Limit(study, peak, cores, instances);
        if (!study.OpenModel)
        {
            var worst = curve.MaxBy(c => Math.Abs(c.LittleDeviation))!;
            text += F($" Little's law held within {TerminalFormat.Percent(Math.Abs(worst.LittleDeviation), 1)} on every {what} level (worst at {worst.Cell.LoadText}).");
        }

        return text;
    }

    // Why throughput stopped where it did, from what the profile asks of each call and what the servers used.
    private static string Limit(ProfileStudy study, CellFigures peak, int cores, int instances)
    {
        var busy = peak.BusyCores is null ? null : Busy(peak, cores);
        var used = busy is null ? string.Empty : " " + char.ToUpperInvariant(busy[0]) + busy[1..] + ".";
        if (study.Work is { Capacity: > 0, Delay: var delay } work && delay > TimeSpan.Zero)
        {
            var bound = instances * work.Capacity / delay.TotalSeconds;
            return F($"That is the capacity limit: {instances} × {work.Capacity} calls at once, {Ms(delay.TotalMilliseconds)} ms each, allow at most {Rate(bound)} calls/s (measured: {Pct(peak.Throughput / bound)} of it).") + used;
        }

        if (study.Work is { Cpu: var cpu } cpuWork && cpu > TimeSpan.Zero)
        {
            var available = cpuWork.Pin ? Math.Min(instances, cores) : cores;
            var bound = available / cpu.TotalSeconds;
            return F($"That is the CPU: each call spins {Ms(cpu.TotalMilliseconds)} ms, so {available} {(available == 1 ? "core serves" : "cores serve")} at most {Rate(bound)} calls/s (measured: {Pct(peak.Throughput / bound)} of it, the rest went to gRPC, the network stack and the load generator).") + used;
        }

        return used.TrimStart();
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
        var stall = steps.Skip(1).FirstOrDefault(s => s.Efficiency < NearLinear);
        if (stall is null)
        {
            var top = steps[^1];
            text += "Scaling was close to linear: each instance brought its own capacity.";
            text += top.BusyCores switch
            {
                null => F($" How busy the cores were is unknown: neither the machine's nor the servers' CPU could be read."),
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
            var busy when busy >= CoresSaturated * cores => F($"At {busiest.Instances} instances {Busy(busiest.Best, cores)}: the cores, not the servers, were the limit — instances beyond the core count only share the same cores."),
            _ => F($"The cores were not the limit ({Busy(stall.Best, cores)}): look at what the instances share — the balancer, the generator, a common dependency."),
        };
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

        var text = F($"The Universal Scalability Law fitted over instances gives σ = {fit.Sigma:0.####} (contention: the share of work that serialises), κ = {fit.Kappa:0.#####} (coherency: the cost of instances keeping each other consistent) and λ = {Rate(fit.Lambda)} calls/s for one instance, R² = {fit.RSquared:0.###}. ");
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

    private static string Instances(int n) => n == 1 ? "one instance" : F($"{n} instances");

    private static string Rate(double perSecond) => perSecond.ToString(perSecond >= 100 ? "#,0" : "0.#", Invariant);

    private static string Ms(double millis) => TerminalFormat.Millis(millis);

    private static string X(double ratio) => ratio.ToString("0.00", Invariant);

    private static string Cores(double cores) => cores.ToString(cores < 1 ? "0.00" : "0.0", Invariant);

    private static string Pct(double share) => TerminalFormat.Percent(share, 0);

    private static string SignedPct(double share) => (share >= 0 ? "+" : "") + TerminalFormat.Percent(share, 0);

    private static string F(FormattableString text) => text.ToString(Invariant);
}

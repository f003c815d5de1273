using static GrpcLoadLab.LoadGen.Study.StudyExplanation;

namespace GrpcLoadLab.LoadGen.Study;

/// <summary>
/// A profile's lesson in one line, for the study's cards and the sweep's last lines in the terminal: how far more
/// instances carried it and where it stopped, or, on one fleet size, where concurrency stopped paying.
/// </summary>
public static class StudyVerdict
{
    /// <summary>One line per profile, in the study's order.</summary>
    public static IReadOnlyList<string> Of(StudyAnalysis analysis) =>
        [.. analysis.Profiles.Select(p => Of(p, analysis.SeveralPolicies, analysis.Sweep.ProcessorCount))];

    /// <summary>e.g. "io-bound: 3.92× on 4 instances — linear (98% efficiency)".</summary>
    public static string Of(ProfileStudy study, bool withPolicy, int cores)
    {
        var label = study.Label(withPolicy) + ": ";
        var steps = study.Scaling;
        if (steps.Count < 2)
        {
            return label + Concurrency(study, cores);
        }

        var last = steps[^1];
        if (Linear(study))
        {
            return label + F($"{X(last.Speedup)}× on {last.Instances} instances — linear ({Pct(last.Efficiency)} efficiency)");
        }

        // The fleet size of highest throughput: the most instances bought on this machine.
        var peak = steps.MaxBy(s => s.Throughput)!;
        if (peak.Throughput < (1 + Flat) * steps[0].Throughput)
        {
            return label + F($"no gain from more instances, {Rate(steps[0].Throughput)} calls/s on {Instances(steps[0].Instances)}: ") + Outcome(last, steps[0]);
        }

        if (peak == last)
        {
            return label + F($"{X(last.Speedup)}× on {last.Instances} instances — sub-linear ({Pct(last.Efficiency)} efficiency)");
        }

        // Named only where the cores, not the capacity slots, bound the work.
        var atCores = peak.Instances == cores && study.Bound(peak.Instances, cores) is null or { Kind: BoundKind.Cores } ? F($" = the {cores} cores") : string.Empty;
        return label + F($"{X(peak.Speedup)}× at {peak.Instances} instances{atCores}, then stops: ") + Outcome(last, peak);
    }

    // What the most instances gave against an earlier fleet: fell back, or about the same.
    private static string Outcome(ScalingStep last, ScalingStep against)
    {
        var change = against.Throughput > 0 ? (last.Throughput / against.Throughput) - 1 : 0;
        return change <= -Flat
            ? F($"{last.Instances} instances fell back to {X(last.Speedup)}× ({Pct(-change)} less than {against.Instances})")
            : F($"{last.Instances} instances gave {X(last.Speedup)}×, about the same as {against.Instances} ({SignedPct(change)})");
    }

    private static string Instances(int n) => n == 1 ? "1 instance" : F($"{n} instances");

    /// <summary>True when every added instance brought close to a whole instance's throughput.</summary>
    public static bool Linear(ProfileStudy study) => study.Scaling.Count >= 2 && study.Scaling.Skip(1).All(s => s.Efficiency >= NearLinear);

    // One fleet size: the knee and the bound it met, or how far the curve still rose.
    private static string Concurrency(ProfileStudy study, int cores)
    {
        var curve = study.LoadCurve;
        if (curve.Count == 0)
        {
            return "no run finished";
        }

        var peak = curve.MaxBy(c => c.Throughput)!;
        var bound = study.Bound(peak.Cell.Instances, cores);
        var reached = bound is null ? string.Empty : F($" ({Pct(peak.Throughput / bound.CallsPerSecond)} of {bound.Name}, {Rate(bound.CallsPerSecond)} calls/s)");
        return study.Knee is { } knee
            ? F($"knee at {knee.Before.Cell.LoadText}, {Rate(peak.Throughput)} calls/s at best{reached}")
            : F($"still rising at {curve[^1].Cell.LoadText}, {Rate(peak.Throughput)} calls/s{reached}");
    }
}

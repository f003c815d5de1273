namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// Whether the run counts, and whether it passed. <see cref="Valid"/> is false when the generator itself could not
/// keep up (its reasons say why): such a run measured the generator, not the servers.
/// </summary>
public sealed record Verdict(bool Valid, IReadOnlyList<string> InvalidReasons, bool ThresholdsPassed, IReadOnlyList<ThresholdResult> Thresholds)
{
    public bool Passed => Valid && ThresholdsPassed;

    /// <summary>
    /// What the generator's self-check found that leaves the run valid but that a reader of its figures must know,
    /// e.g. a generator still warming up in the measured phases; none in results written before warnings existed.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>One threshold as written, the value measured, and whether it held.</summary>
public sealed record ThresholdResult(string Threshold, double Actual, string Unit, bool Passed);

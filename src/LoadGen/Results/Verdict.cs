namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// Whether the run counts, and whether it passed. <see cref="Valid"/> is false when the generator itself could not
/// keep up (its reasons say why): such a run measured the generator, not the servers.
/// </summary>
public sealed record Verdict(bool Valid, IReadOnlyList<string> InvalidReasons, bool ThresholdsPassed, IReadOnlyList<ThresholdResult> Thresholds)
{
    public bool Passed => Valid && ThresholdsPassed;
}

/// <summary>One threshold as written, the value measured, and whether it held.</summary>
public sealed record ThresholdResult(string Threshold, double Actual, string Unit, bool Passed);

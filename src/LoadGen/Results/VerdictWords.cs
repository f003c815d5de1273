using System.Globalization;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// The words a run's verdict is told in — by the terminal, the pages, <c>summary.md</c>, the index and the study — kept
/// in one place, so that a run reads PASSED, INVALID or PARTIAL alike wherever it is shown.
/// </summary>
internal static class VerdictWords
{
    public const string Partial = "PARTIAL";

    public const string Invalid = "INVALID";

    /// <summary>What precedes each of the self-check's warnings (the run stays valid).</summary>
    public const string Warning = "warning";

    /// <summary>Why a run is invalid, in a few words (its reasons tell the rest).</summary>
    public const string GeneratorBehind = "the generator could not keep up";

    /// <summary>The run's verdict: thresholds held and the run is valid, or not.</summary>
    public static string Outcome(bool passed) => passed ? "PASSED" : "FAILED";

    /// <summary>One threshold's outcome, a column beside the threshold itself.</summary>
    public static string Check(bool passed) => passed ? "PASS" : "FAIL";

    public static string Validity(bool valid) => valid ? "valid" : Invalid;

    /// <summary>The verdict in one table cell: <c>PASSED</c>, or <c>FAILED (INVALID)</c> for a run that measured the generator.</summary>
    public static string InShort(bool passed, bool valid) => Outcome(passed) + (valid ? "" : $" ({Invalid})");

    /// <summary>What follows a run's or a sweep's name when it stopped early: <c> (PARTIAL)</c>, else nothing.</summary>
    public static string PartialMark(bool partial) => partial ? $" ({Partial})" : "";

    /// <summary>Why a run stopped early, as its result says, or that it did.</summary>
    public static string PartialReason(string? reason) => reason ?? "the run stopped early";

    /// <summary>The line above a partial run's figures.</summary>
    public static string PartialRun(string? reason) => $"{Partial}: {PartialReason(reason)}; the figures cover what ran";

    /// <summary><c>all 3 passed</c> or <c>1 of 3 FAILED</c>; null when the run had no thresholds (each medium says so its own way).</summary>
    public static string? Thresholds(IReadOnlyList<ThresholdResult> thresholds)
    {
        if (thresholds.Count == 0)
        {
            return null;
        }

        var failed = thresholds.Count(threshold => !threshold.Passed);
        return failed == 0
            ? string.Create(CultureInfo.InvariantCulture, $"all {thresholds.Count} passed")
            : string.Create(CultureInfo.InvariantCulture, $"{failed} of {thresholds.Count} FAILED");
    }
}

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>Why calls failed, in the rows of the run's page and of the terminal alike.</summary>
internal static class FailureWords
{
    /// <summary>
    /// A row per kept detail (status, calls, detail), the statuses in the order of their counts, each status's details
    /// the most frequent first, its unlisted calls last; none for a result written before failures were recorded.
    /// </summary>
    public static IEnumerable<(string Status, long Calls, string Detail)> Rows(PhaseStats stats)
    {
        if (stats.Failures is not { } failures)
        {
            yield break;
        }

        foreach (var (status, ofStatus) in failures.OrderByDescending(f => stats.StatusCodes.GetValueOrDefault(f.Key)).ThenBy(f => f.Key, StringComparer.Ordinal))
        {
            foreach (var detail in ofStatus.Details)
            {
                yield return (status, detail.Calls, detail.Detail.Length == 0 ? "(the status carried no detail)" : detail.Detail);
            }

            if (ofStatus.Unlisted > 0)
            {
                yield return (status, ofStatus.Unlisted, $"(other details: the first {StatusFailures.MaxDetails} distinct ones of a status are kept)");
            }
        }
    }
}

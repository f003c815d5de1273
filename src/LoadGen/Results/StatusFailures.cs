using System.Buffers;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// Why the calls that failed with one status failed: the distinct details they gave, the most frequent first. A
/// status counts its calls without a bound; its details are kept up to <see cref="MaxDetails"/>, and the calls with a
/// detail beyond those are counted as <paramref name="Unlisted"/>, so that the details' calls and the unlisted add up
/// to the status's count.
/// </summary>
/// <remarks>
/// ghz prints such an "error distribution". A status alone does not say why: RESOURCE_EXHAUSTED is a server's own
/// answer, and also what grpc-dotnet makes of Kestrel refusing a stream (ENHANCE_YOUR_CALM); UNAVAILABLE is a refused
/// connection, a lost one or a draining server.
/// </remarks>
public sealed record StatusFailures(IReadOnlyList<FailureDetail> Details, long Unlisted)
{
    /// <summary>Distinct details kept per status: enough for the reasons a run has, bounded where each call's detail differs (a port, an id).</summary>
    public const int MaxDetails = 8;

    /// <summary>A detail's length kept: grpc-dotnet's details nest exceptions' messages, a line each.</summary>
    public const int MaxDetailLength = 300;

    private static readonly char[] ControlCharacterArray = [.. Enumerable.Range(0, char.MaxValue + 1).Select(c => (char)c).Where(char.IsControl)];

    private static readonly SearchValues<char> ControlCharacters = SearchValues.Create(ControlCharacterArray);

    /// <summary>
    /// Several parts' failures together (phases, or agents): each detail's calls added, the most frequent
    /// <see cref="MaxDetails"/> kept per status, the rest and every part's unlisted calls counted as unlisted.
    /// </summary>
    public static SortedDictionary<string, StatusFailures> Sum(IEnumerable<IReadOnlyDictionary<string, StatusFailures>?> parts)
    {
        var calls = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        var unlisted = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (status, failures) in parts.OfType<IReadOnlyDictionary<string, StatusFailures>>().SelectMany(p => p))
        {
            if (!calls.TryGetValue(status, out var byDetail))
            {
                calls[status] = byDetail = new Dictionary<string, long>(StringComparer.Ordinal);
            }

            foreach (var detail in failures.Details)
            {
                byDetail[detail.Detail] = byDetail.GetValueOrDefault(detail.Detail) + detail.Calls;
            }

            unlisted[status] = unlisted.GetValueOrDefault(status) + failures.Unlisted;
        }

        var sum = new SortedDictionary<string, StatusFailures>(StringComparer.Ordinal);
        foreach (var (status, byDetail) in calls)
        {
            var ranked = byDetail.OrderByDescending(d => d.Value).ThenBy(d => d.Key, StringComparer.Ordinal).ToList();
            sum[status] = new StatusFailures(
                [.. ranked.Take(MaxDetails).Select(d => new FailureDetail(d.Key, d.Value))],
                unlisted[status] + ranked.Skip(MaxDetails).Sum(d => d.Value));
        }

        return sum;
    }

    /// <summary>
    /// A failure's detail as kept: on one line, free of control characters (a server's text reaches the terminal,
    /// where an escape sequence would act), and cut to <see cref="MaxDetailLength"/> characters.
    /// </summary>
    public static string Normalize(string detail)
    {
        if (detail.Length <= MaxDetailLength && detail.AsSpan().IndexOfAny(ControlCharacters) < 0)
        {
            return detail;
        }

        var line = string.Join(' ', detail.Split(ControlCharacterArray, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= MaxDetailLength ? line : string.Concat(line.AsSpan(0, MaxDetailLength - 1), "…");
    }
}

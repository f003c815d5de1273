namespace GrpcLoadLab.Testing;

/// <summary>
/// Issue 15's agents, which another branch builds at the same time as the manifests and the namespace test:
/// <c>loadgen run SCENARIO --agent K/N [--start-at TIME]</c>, <c>loadgen merge RUN... -o DIR</c>, and the merged
/// result.json's <c>agents</c>. The tests written against that interface are skipped with <see cref="Pending"/> as
/// their reason until both branches are merged; then it is set to null, and they run.
/// </summary>
internal static class AgentsInterface
{
    public const string? Pending =
        "needs loadgen run --agent/--start-at and loadgen merge (issue 15, items 1-2): set AgentsInterface.Pending to null once they are merged";

    public const string AgentFlag = "--agent";

    public const string StartAtFlag = "--start-at";

    /// <summary>Agent <paramref name="k"/> of <paramref name="n"/>, as <c>--agent</c> takes it (K from 1).</summary>
    public static string Agent(int k, int n) => $"{k}/{n}";

    /// <summary>A <c>--start-at</c> instant: UTC, to the second, as the interface spells it (2026-12-02T10:00:00Z).</summary>
    public static string StartAt(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Takes <c>--agent V</c> and <c>--start-at V</c> out of loadgen's arguments: their values, and the rest, which the
    /// load generator parses today without the agents' flags.
    /// </summary>
    public static (string? Agent, string? StartAt, IReadOnlyList<string> Others) Split(IReadOnlyList<string> arguments)
    {
        string? agent = null, startAt = null;
        var rest = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            switch (arguments[i])
            {
                case AgentFlag when i + 1 < arguments.Count:
                    agent = arguments[++i];
                    break;
                case StartAtFlag when i + 1 < arguments.Count:
                    startAt = arguments[++i];
                    break;
                default:
                    rest.Add(arguments[i]);
                    break;
            }
        }

        return (agent, startAt, rest);
    }
}

namespace GrpcLoadLab.Testing;

/// <summary>
/// Issue 15's agents as other scripts spell them: <c>loadgen run SCENARIO --agent K/N [--start-at TIME]</c> and
/// <c>loadgen merge RUN... -o DIR</c>; the Kubernetes manifests and the namespace test are held to these spellings.
/// </summary>
internal static class AgentsInterface
{
    public const string AgentFlag = "--agent";

    public const string StartAtFlag = "--start-at";

    /// <summary>Agent <paramref name="k"/> of <paramref name="n"/>, as <c>--agent</c> takes it (K from 1).</summary>
    public static string Agent(int k, int n) => $"{k}/{n}";

    /// <summary>A <c>--start-at</c> instant: UTC, to the second, as the interface spells it (2026-12-02T10:00:00Z).</summary>
    public static string StartAt(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Takes <c>--agent V</c> and <c>--start-at V</c> out of loadgen's arguments: their values as written, and the rest.
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

using System.Globalization;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>How a run made by agents is named wherever runs are listed: <c>agent 2/3</c>, or <c>3 agents merged</c>.</summary>
internal static class AgentWords
{
    /// <summary>The words for the run, or empty for a run of the whole load on one generator.</summary>
    public static string Of(RunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Agents is { } agents ? string.Create(CultureInfo.InvariantCulture, $"{agents.Count} agents merged")
            : run.Agent is { } agent ? $"agent {agent.Text}"
            : "";
    }

    /// <summary>What follows the run's name: <c> (agent 2/3)</c>, or nothing.</summary>
    public static string Mark(string words) => words.Length == 0 ? "" : $" ({words})";
}

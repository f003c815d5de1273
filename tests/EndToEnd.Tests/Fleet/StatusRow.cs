using System.Globalization;

namespace GrpcLoadLab.EndToEnd.Tests.Fleet;

/// <summary>One instance's line of <c>servers.sh status</c>.</summary>
public sealed record StatusRow(int Instance, string Address, string Process, string Health)
{
    /// <summary>The rows of the status table, header left out.</summary>
    public static IReadOnlyList<StatusRow> Parse(IEnumerable<string> lines) =>
        lines.SkipWhile(line => !line.StartsWith("INSTANCE", StringComparison.Ordinal))
            .Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(fields => new StatusRow(int.Parse(fields[0], CultureInfo.InvariantCulture), fields[1], fields[3], fields[4]))
            .ToArray();
}

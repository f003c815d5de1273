using System.Globalization;

namespace GrpcLoadLab.LoadGen.Fleet;

/// <summary>How the fleet script starts a fleet: <c>start N --base-port P [--capacity K] [--queue Q] [--pin]</c>.</summary>
public sealed record FleetSettings(int Instances, int Capacity, int? Queue, bool Pin, int BasePort)
{
    public IReadOnlyList<string> StartArguments()
    {
        var arguments = new List<string> { "start", Invariant(Instances), "--base-port", Invariant(BasePort), "--capacity", Invariant(Capacity) };
        if (Queue is { } queue)
        {
            arguments.AddRange(["--queue", Invariant(queue)]);
        }

        if (Pin)
        {
            arguments.Add("--pin");
        }

        return arguments;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Instances} instance{(Instances == 1 ? "" : "s")}")
        + (Capacity > 0 ? string.Create(CultureInfo.InvariantCulture, $", capacity {Capacity}") : ", unlimited capacity")
        + (Queue is { } q ? string.Create(CultureInfo.InvariantCulture, $", queue {q}") : string.Empty)
        + (Pin ? ", pinned" : string.Empty);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}

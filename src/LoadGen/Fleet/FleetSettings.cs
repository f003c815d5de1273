using System.Globalization;

namespace GrpcLoadLab.LoadGen.Fleet;

/// <summary>
/// How the fleet script starts a fleet: <c>start N --base-port P [--capacity K] [--queue Q] [--pin]</c>, or with
/// <paramref name="Command"/> any server's command line: <c>start N --base-port P --command CMD [--pin]</c>; with
/// <paramref name="Tls"/> the fleet speaks TLS (see <see cref="FleetTls"/>).
/// </summary>
public sealed record FleetSettings(int Instances, int Capacity, int? Queue, bool Pin, int BasePort, string? Command = null, FleetTls? Tls = null)
{
    public IReadOnlyList<string> StartArguments()
    {
        var arguments = new List<string> { "start", Invariant(Instances), "--base-port", Invariant(BasePort) };
        arguments.AddRange(Command is null ? ["--capacity", Invariant(Capacity)] : ["--command", Command]);
        if (Queue is { } queue)
        {
            arguments.AddRange(["--queue", Invariant(queue)]);
        }

        if (Pin)
        {
            arguments.Add("--pin");
        }

        if (Tls is not null)
        {
            arguments.AddRange(Tls.StartArguments(labServer: Command is null));
        }

        return arguments;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Instances} instance{(Instances == 1 ? "" : "s")}")
        + (Command is not null ? $" of '{Command}'"
        : Capacity > 0 ? string.Create(CultureInfo.InvariantCulture, $", capacity {Capacity}") : ", unlimited capacity")
        + (Queue is { } q ? string.Create(CultureInfo.InvariantCulture, $", queue {q}") : string.Empty)
        + (Pin ? ", pinned" : string.Empty)
        + (Tls is null ? string.Empty : Tls.ClientCertificate is null ? ", over TLS" : ", over mTLS");

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}

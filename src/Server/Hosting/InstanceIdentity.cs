namespace GrpcLoadLab.Server.Hosting;

/// <summary>
/// The instance id named in every reply: the one given, or <c>server-PORT</c>. Derived once the port is bound,
/// so that a server started on port 0 is named after the port it got.
/// </summary>
public sealed class InstanceIdentity
{
    private string? _id;

    public string Id => _id ?? throw new InvalidOperationException("The instance id is known once the server has started.");

    public void Assign(string? givenId, int boundPort) => _id = givenId ?? DefaultId(boundPort);

    public static string DefaultId(int port) => $"server-{port}";
}

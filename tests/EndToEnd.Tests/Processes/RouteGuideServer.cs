namespace GrpcLoadLab.EndToEnd.Tests.Processes;

/// <summary>
/// tests/RouteGuide: gRPC's route_guide service as a Python grpcio server, a server the lab did not write, with
/// grpc.health.v1 and reflection each on a flag.
/// </summary>
public static class RouteGuideServer
{
    /// <summary>Debian's Python, with python3-grpcio and python3-grpc-tools (scripts/test.sh installs them).</summary>
    public const string Python = "/usr/bin/python3";

    public static string Folder { get; } = Path.Combine(RepositoryPaths.Root, "tests", "RouteGuide");

    public static string ProtoFolder { get; } = Path.Combine(Folder, "protos");

    /// <summary>The fleet script's <c>--command</c> that runs it, with the server's own flags.</summary>
    public static string Command(params string[] flags) =>
        string.Join(' ', [Python, $"'{Path.Combine(Folder, "route_guide_server.py")}'", "--port", "{port}", .. flags]);
}

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>Where the run ran: enough to tell two runs' machines and set-ups apart in a comparison.</summary>
public sealed record EnvironmentInfo(
    string Machine,
    string OperatingSystem,
    int ProcessorCount,
    long MemoryBytes,
    string DotnetVersion,
    string LoadGenVersion,
    int ServerCount,
    IReadOnlyList<string> ServerAddresses,
    bool ServerGc);

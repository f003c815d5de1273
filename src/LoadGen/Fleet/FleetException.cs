namespace GrpcLoadLab.LoadGen.Fleet;

/// <summary>The sweep's fleet could not be started: what went wrong, in one line.</summary>
public sealed class FleetException(string message) : Exception(message);

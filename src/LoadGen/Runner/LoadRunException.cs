namespace GrpcLoadLab.LoadGen.Runner;

/// <summary>A run that cannot start (for example, no server answers); the message says why and what to do.</summary>
public sealed class LoadRunException(string message) : Exception(message);

namespace GrpcLoadLab.LoadGen.Runner;

/// <summary>A run interrupted (Ctrl-C, SIGTERM) before its load started: nothing was measured; the message says so.</summary>
public sealed class RunInterruptedException(string message) : Exception(message);

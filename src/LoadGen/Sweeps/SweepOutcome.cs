using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Sweeps;

/// <summary>What a finished sweep left: its result, where <c>sweep.json</c> was written, and the exit code it earns.</summary>
public sealed record SweepOutcome(SweepResult Result, string SweepPath, int ExitCode);

using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Runner;

/// <summary>What a finished run left: its result, where it was written, and the exit code it earns.</summary>
public sealed record RunOutcome(RunResult Result, string ResultPath, int ExitCode);

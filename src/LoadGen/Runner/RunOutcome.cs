using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Runner;

/// <summary>What a finished run left: its result, where it was written, and the exit code it earns.</summary>
public sealed record RunOutcome(RunResult Result, string ResultPath, int ExitCode)
{
    /// <summary>Something the person must know about where the result went (written elsewhere than asked); null when none.</summary>
    public string? Warning { get; init; }
}

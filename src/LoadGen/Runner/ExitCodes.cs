using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Runner;

/// <summary>The exit codes of <c>loadgen</c>, for scripts and CI.</summary>
public static class ExitCodes
{
    /// <summary>The run was valid and every threshold held.</summary>
    public const int Passed = 0;

    /// <summary>A threshold did not hold.</summary>
    public const int ThresholdsFailed = 1;

    /// <summary>Bad input: a scenario, a flag or a target that cannot run, or no server answered. Nothing was measured.</summary>
    public const int BadInput = 2;

    /// <summary>The generator could not keep up, so the run measured the generator (the verdict says why).</summary>
    public const int Invalid = 3;

    /// <summary>The run failed part way; what it measured was written, marked partial.</summary>
    public const int Failed = 4;

    /// <summary>Interrupted (Ctrl-C, SIGTERM); what it measured was written, marked partial.</summary>
    public const int Interrupted = 130;

    /// <summary>The code a written result earns: interrupted, partial, invalid, a threshold failed, or passed, in that order.</summary>
    public static int Of(RunResult result, bool interrupted)
    {
        ArgumentNullException.ThrowIfNull(result);
        return interrupted ? Interrupted
            : result.Partial ? Failed
            : !result.Verdict.Valid ? Invalid
            : !result.Verdict.ThresholdsPassed ? ThresholdsFailed
            : Passed;
    }
}

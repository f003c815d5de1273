namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// One fault of the scenario as the run carried it out, or not. Times are seconds from the run's start (warm-up
/// included), the same clock as the timeline's seconds.
/// </summary>
/// <param name="Index">Its place in the scenario's <c>faults</c> list.</param>
/// <param name="Action"><c>kill</c>, <c>terminate</c>, <c>restart</c>, <c>slow</c> or <c>fail</c>.</param>
/// <param name="Instance">The fleet script's instance number: the registry's line, from 1.</param>
/// <param name="Address">host:port of the instance, when it could be found.</param>
/// <param name="Detail">What the fault does, in words: "SIGKILL", "+200ms a call", "30% of calls fail UNAVAILABLE".</param>
/// <param name="AtSeconds">When it was planned.</param>
/// <param name="UntilSeconds">Slow and fail: when it was planned to end; null: at the end of the run (or a process action).</param>
/// <param name="DoneSeconds">When the action had been carried out (a restart: once the instance served again) or had failed; null when it never ran.</param>
/// <param name="Ok">Whether it was carried out (and, for a fault lasting to the end, cleared at the end).</param>
/// <param name="Error">Why not, in one line.</param>
public sealed record FaultRecord(
    int Index,
    string Action,
    int Instance,
    string? Address,
    string Detail,
    double AtSeconds,
    double? UntilSeconds,
    double? DoneSeconds,
    bool Ok,
    string? Error)
{
    /// <summary>Slow and fail last a while (charts draw a band); kill, terminate and restart happen at a moment (a line).</summary>
    public bool LastsAWhile() => Action is "slow" or "fail";

    /// <summary>How charts and tables name it: "kill instance 2", "slow instance 3: +200ms a call", with "(failed)" or "(not run)".</summary>
    public string Label() =>
        $"{Action} instance {Instance}{(LastsAWhile() ? $": {Detail}" : "")}{(Ok ? "" : DoneSeconds is null ? " (not run)" : " (failed)")}";
}

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// A named part of a C# scenario's step, timed on its own in the measured (non-warm-up) phases: how often it ended
/// well or threw, and the latency of those that ended well, from the sub-step's own start.
/// </summary>
public sealed record SubStepResult(string Name, long Succeeded, long Failed, HistogramSummary Latency);

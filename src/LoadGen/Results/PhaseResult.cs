namespace GrpcLoadLab.LoadGen.Results;

/// <summary>One phase as it ran: what it was, when (seconds from the run's start), and its statistics.</summary>
/// <param name="Load">What the phase asked for: the concurrency or rate it held, for the charts' load overlay.</param>
public sealed record PhaseResult(
    int Index,
    string Name,
    string Type,
    bool Warmup,
    double StartSeconds,
    double EndSeconds,
    string Load,
    PhaseStats Stats);

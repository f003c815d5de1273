using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Load;

/// <summary>Which load model a phase belongs to, and the load it asks for at a moment (for the charts' overlay).</summary>
internal static class LoadModels
{
    /// <summary>Open model: calls start on a schedule, whatever the servers do.</summary>
    public static bool IsOpen(LoadPhase phase) => phase is ConstantRatePhase or RampRatePhase or PoissonPhase;

    /// <summary>The concurrency (closed model) or rate (open model) the phase asks for, <paramref name="elapsed"/> into it.</summary>
    public static double TargetAt(LoadPhase phase, TimeSpan elapsed)
    {
        var progress = phase.PlannedDuration > TimeSpan.Zero ? Math.Clamp(elapsed / phase.PlannedDuration, 0, 1) : 1;
        return phase switch
        {
            ConstantConcurrencyPhase p => p.Concurrency,
            RampConcurrencyPhase p => p.From + ((p.To - p.From) * progress),
            IterationsPhase p => p.Concurrency,
            ConstantRatePhase p => p.Rate,
            RampRatePhase p => p.From + ((p.To - p.From) * progress),
            PoissonPhase p => p.Rate,
            _ => 0,
        };
    }

    /// <summary>What the phase holds, in words: "64 concurrent", "500/s".</summary>
    public static string Describe(LoadPhase phase) => phase switch
    {
        ConstantConcurrencyPhase p => $"{p.Concurrency} concurrent",
        RampConcurrencyPhase p => $"{p.From}→{p.To} concurrent",
        IterationsPhase p => $"{p.Concurrency} concurrent, {p.Iterations} calls",
        ConstantRatePhase p => $"{p.Rate:0.##}/s",
        RampRatePhase p => $"{p.From:0.##}→{p.To:0.##}/s",
        PoissonPhase p => $"Poisson {p.Rate:0.##}/s",
        PausePhase => "pause",
        _ => phase.GetType().Name,
    };
}

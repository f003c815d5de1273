namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// Open model: calls start when due, whatever the servers do. When each is due is computed from the plan alone, never
/// from how the servers answer: that is what keeps coordinated omission out of the measurement.
/// </summary>
public abstract record OpenPhase : LoadPhase
{
    /// <summary>When each call is due, in seconds from the phase's start, in order; <paramref name="random"/> is the run's seeded source.</summary>
    public abstract IEnumerable<double> Arrivals(Random random);
}

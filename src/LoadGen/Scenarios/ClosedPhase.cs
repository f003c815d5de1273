namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// Closed model: callers that each start their next call as soon as their last one ended. Caller <c>i</c> calls while
/// the phase's target concurrency (<see cref="LoadPhase.TargetAt"/>) is above <c>i</c>, until the phase ends.
/// </summary>
public abstract record ClosedPhase : LoadPhase
{
    /// <summary>The most callers the phase ever has.</summary>
    public abstract int Callers { get; }

    public override double? HighestLoad => Callers;

    /// <summary>The calls the callers share before they stop; null when they call until the phase ends.</summary>
    public virtual long? CallLimit => null;
}

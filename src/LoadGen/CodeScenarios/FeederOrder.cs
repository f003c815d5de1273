namespace GrpcLoadLab.LoadGen.CodeScenarios;

/// <summary>The order in which a <see cref="Feeder{T}"/> hands out its items.</summary>
public enum FeederOrder
{
    /// <summary>Each item once, in order; a step that asks for more fails with OUT_OF_RANGE (<see cref="FeederExhaustedException"/>).</summary>
    InOrder,

    /// <summary>In order, and again from the first after the last.</summary>
    Circular,

    /// <summary>Any item each time, from a seeded random source (a run can be repeated exactly).</summary>
    Random,
}

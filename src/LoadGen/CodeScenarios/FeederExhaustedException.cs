namespace GrpcLoadLab.LoadGen.CodeScenarios;

/// <summary>An in-order <see cref="Feeder{T}"/> has no item left; the step that asked fails with OUT_OF_RANGE.</summary>
public sealed class FeederExhaustedException(string message) : Exception(message);

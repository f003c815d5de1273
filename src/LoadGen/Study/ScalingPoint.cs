namespace GrpcLoadLab.LoadGen.Study;

/// <summary>One measurement of a scaling study: the load (instances, clients, ...) and the throughput it reached.</summary>
public readonly record struct ScalingPoint(double Load, double Throughput);

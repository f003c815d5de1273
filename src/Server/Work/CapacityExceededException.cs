namespace GrpcLoadLab.Server.Work;

/// <summary>Thrown when a call finds every capacity slot taken and the wait queue full.</summary>
public sealed class CapacityExceededException() : Exception("capacity and queue are full");

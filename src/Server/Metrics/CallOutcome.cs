namespace GrpcLoadLab.Server.Metrics;

/// <summary>How an admitted call ended, as the instance's counters see it.</summary>
public enum CallOutcome
{
    Completed,
    Failed,
    Cancelled,
}

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>Where and how the run's results are written.</summary>
public sealed record ReportSpec
{
    /// <summary>Folder that holds one folder per run. Default: <c>reports</c>.</summary>
    public string Directory { get; init; } = "reports";
}

using System.Text.Json.Serialization;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>One cell: where it sat in the grid and the folder of its run (null when it did not run).</summary>
/// <param name="Load">Total callers (closed model) or calls a second (open model).</param>
/// <param name="FreshFleet">
/// True when the cell ran first on a fleet just started (false in sweeps written before this was recorded).
/// </param>
public sealed record SweepCellResult(string Profile, string Policy, int Instances, bool OpenModel, double Load, string? RunFolder, int ExitCode, bool FreshFleet = false)
{
    /// <summary>The load in words: "64 concurrent" or "800/s".</summary>
    [JsonIgnore]
    public string LoadText => NumberText.Load(OpenModel, Load);
}

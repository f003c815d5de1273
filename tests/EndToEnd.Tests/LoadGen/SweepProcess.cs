extern alias LoadGen;

using GrpcLoadLab.EndToEnd.Tests.Fleet;
using GrpcLoadLab.EndToEnd.Tests.Processes;
using LoadGen::GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.EndToEnd.Tests.LoadGen;

/// <summary>
/// <c>loadgen sweep</c> run as a process on a fleet of its own (<see cref="LabFleet"/>), and what the sweep tests read
/// of what it wrote: its whole sweep.json, each cell's result.json, and that the fleet was stopped.
/// </summary>
internal static class SweepProcess
{
    private static readonly TimeSpan SweepLimit = TimeSpan.FromMinutes(5);

    public static Task<(int ExitCode, LoadGenProcess Process)> RunAsync(string sweepFile, LabFleet fleet) =>
        LoadGenProcess.RunAsync(SweepLimit, "sweep", sweepFile, "--fleet-script", RepositoryPaths.FleetScript, "--lab-dir", fleet.LabDirectory);

    /// <summary>The sweep's sweep.json and where it is: whole (not partial), its cells 1 and 2 instances at 2 callers each.</summary>
    public static (SweepResult Result, string Path) ReadWholeSweep(LoadGenProcess sweep)
    {
        var path = Assert.Single(Directory.GetFiles(Path.Combine(sweep.WorkingDirectory, "reports"), SweepJson.FileName, SearchOption.AllDirectories));
        var result = SweepJson.Read(path);
        Assert.False(result.Partial);
        Assert.Equal([(1, 2.0), (2, 4.0)], result.Cells.Select(c => (c.Instances, c.Load)));
        return (result, path);
    }

    public static RunResult ReadCell(LoadGenProcess sweep, SweepCellResult cell) =>
        ResultJson.Read(Path.Combine(sweep.WorkingDirectory, "reports", cell.RunFolder!, ResultJson.FileName));

    public static void AssertFleetStopped(LabFleet fleet)
    {
        Assert.False(File.Exists(fleet.RegistryPath), "the sweep stopped its fleet");
        Assert.Empty(fleet.MarkedProcesses());
    }
}

using System.Globalization;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Tests.Reports;

namespace GrpcLoadLab.LoadGen.Tests.Results;

/// <summary>The one rule that names a run's or a sweep's folder: <c>yyyyMMdd-HHmmss-NAME</c>, local time, never reused.</summary>
public sealed class OutputFolderTests : IDisposable
{
    private static readonly DateTimeOffset StartedAt = new(2025, 6, 1, 10, 0, 5, TimeSpan.Zero);

    private readonly string _reports = Directory.CreateTempSubdirectory("loadgen-folders-").FullName;

    public void Dispose() => Directory.Delete(_reports, recursive: true);

    [Fact]
    public void A_folder_is_named_by_its_local_start_time_and_name_and_made()
    {
        var folder = OutputFolder.CreateNew(_reports, StartedAt, "sweep-demo");

        Assert.Equal(Path.Combine(_reports, StartedAt.ToLocalTime().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-sweep-demo"), folder);
        Assert.True(Directory.Exists(folder));
    }

    [Fact]
    public void Runs_that_start_in_one_second_get_folders_of_their_own()
    {
        var folders = Enumerable.Range(0, 3).Select(_ => OutputFolder.CreateNew(_reports, StartedAt, "checkout")).ToList();

        Assert.Equal([folders[0], folders[0] + "-2", folders[0] + "-3"], folders);
    }

    [Fact]
    public void A_run_and_a_sweep_share_the_rule()
    {
        var run = Path.GetDirectoryName(ResultJson.WriteNew(TestRuns.Read("unary-open") with { StartedAt = StartedAt }, _reports))!;

        Assert.Equal(OutputFolder.CreateNew(_reports, StartedAt, "unary-open"), run + "-2");
    }
}

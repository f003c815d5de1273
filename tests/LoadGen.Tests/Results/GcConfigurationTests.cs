using System.Runtime;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Runner;
using GrpcLoadLab.LoadGen.Tests.Reports;

namespace GrpcLoadLab.LoadGen.Tests.Results;

public class GcConfigurationTests
{
    [Fact]
    public void The_probe_reports_the_gc_this_process_runs_with()
    {
        var gc = EnvironmentProbe.DescribeGc();

        Assert.Equal(GCSettings.IsServerGC ? "server" : "workstation", gc.Mode);
        Assert.Equal(GCSettings.LatencyMode != GCLatencyMode.Batch, gc.Concurrent);
        Assert.True(gc.MaxHeaps >= 1 && gc.MaxHeaps <= Environment.ProcessorCount, $"{gc.MaxHeaps} heaps");
        Assert.True(gc.Gen0MaxBudgetBytes > 0, "the GC names its largest gen0 budget");
        Assert.False(!GCSettings.IsServerGC && gc.DynamicAdaptation, "dynamic adaptation is server GC's");
    }

    [Fact]
    public void A_result_keeps_its_gc_configuration_and_an_older_result_without_one_still_reads()
    {
        var older = TestRuns.Read("unary-open");
        Assert.Null(older.Environment.Gc);

        var gc = new GcConfiguration("workstation", Concurrent: false, MaxHeaps: 1, Gen0MaxBudgetBytes: 128L << 20, DynamicAdaptation: false, TieredPgo: true);
        var directory = Directory.CreateTempSubdirectory("gc-config-").FullName;
        try
        {
            var path = ResultJson.WriteNew(older with { Environment = older.Environment with { Gc = gc } }, directory);
            Assert.Equal(gc, ResultJson.Read(path).Environment.Gc);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

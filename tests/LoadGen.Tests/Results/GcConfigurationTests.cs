using System.Runtime;
using GrpcLoadLab.LoadGen.Fleet;
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

        var gc = new GcConfiguration("workstation", Concurrent: false, MaxHeaps: 1, Gen0MaxBudgetBytes: 128L << 20, DynamicAdaptation: false, TieredPgo: true, Gen0SizeBytes: 32L << 20, ArrayPoolArraysPerPartition: 4096);
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

    [Theory]
    [InlineData("0x2000000", 32L << 20)]
    [InlineData("4000000", 64L << 20)]
    [InlineData("not hex", 0L)]
    public void The_probe_reads_the_gen0_budget_that_only_the_environment_can_set(string value, long expected)
    {
        var before = Environment.GetEnvironmentVariable("DOTNET_GCgen0size");
        try
        {
            // The GC reads the variable as hexadecimal, with or without "0x", and only at start-up: the probe says
            // what it read, so a result names the budget its generator ran with.
            Environment.SetEnvironmentVariable("DOTNET_GCgen0size", value);
            Assert.Equal(expected, EnvironmentProbe.DescribeGc().Gen0SizeBytes);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOTNET_GCgen0size", before);
        }
    }

    [Theory]
    [InlineData("4096", 4096)]
    [InlineData("32", 32)]
    [InlineData(" 4096 ", 4096)]
    [InlineData("0000004096", 4096)]
    [InlineData("00000000004096", null)]
    [InlineData("2147483648", null)]
    [InlineData("0", null)]
    [InlineData("0x1000", null)]
    [InlineData("-5", null)]
    [InlineData(null, null)]
    public void The_probe_reads_how_many_arrays_the_shared_pool_keeps_as_the_pool_reads_it(string? value, int? expected)
    {
        const string Variable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";
        var before = Environment.GetEnvironmentVariable(Variable);
        try
        {
            // The pool reads up to 10 decimal digits between spaces, a positive Int32, and keeps its default
            // otherwise: null says so.
            Environment.SetEnvironmentVariable(Variable, value);
            Assert.Equal(expected, EnvironmentProbe.DescribeGc().ArrayPoolArraysPerPartition);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, before);
        }
    }

    [Fact]
    public async Task The_fleet_script_does_not_pass_the_generators_gc_settings_on_to_the_servers()
    {
        string[] variables = ["DOTNET_GCgen0size", "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION"];
        var folder = Directory.CreateTempSubdirectory("fleet-env-").FullName;
        var before = variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        try
        {
            var script = Path.Combine(folder, "servers.sh");
            await File.WriteAllTextAsync(script, "echo \"gen0=${DOTNET_GCgen0size:-unset} pool=${DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION:-unset} lab=$LAB_DIR\"\n");
            Environment.SetEnvironmentVariable("DOTNET_GCgen0size", "0x2000000");
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION", "4096");

            var (exitCode, lastLine) = await new FleetScript(script, folder).RunAsync(["status"]);

            Assert.Equal(0, exitCode);
            Assert.Equal($"gen0=unset pool=unset lab={folder}", lastLine);
        }
        finally
        {
            foreach (var (variable, value) in before)
            {
                Environment.SetEnvironmentVariable(variable, value);
            }

            Directory.Delete(folder, recursive: true);
        }
    }
}

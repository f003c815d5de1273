using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Runner;
using GrpcLoadLab.LoadGen.Tests.Reports;

namespace GrpcLoadLab.LoadGen.Tests.Results;

public class JitConfigurationTests
{
    [Theory]
    [InlineData("DOTNET_TieredCompilation")]
    [InlineData("DOTNET_TieredPGO")]
    [InlineData("DOTNET_TC_QuickJitForLoops")]
    public void A_variable_set_to_0_turns_its_switch_off_in_the_record_as_it_does_in_the_runtime(string variable)
    {
        var before = Environment.GetEnvironmentVariable(variable);
        try
        {
            Environment.SetEnvironmentVariable(variable, "0");
            var off = EnvironmentProbe.DescribeJit();
            Environment.SetEnvironmentVariable(variable, "1");
            var on = EnvironmentProbe.DescribeJit();

            Assert.Equal(variable.EndsWith("TieredCompilation", StringComparison.Ordinal), !off.TieredCompilation);
            Assert.Equal(variable.EndsWith("PGO", StringComparison.Ordinal), !off.TieredPgo);
            Assert.Equal(variable.EndsWith("Loops", StringComparison.Ordinal), !off.QuickJitForLoops);
            Assert.True(on.TieredCompilation && on.TieredPgo && on.QuickJitForLoops, on.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, before);
        }
    }

    [Fact]
    public void Code_compiled_ahead_of_time_is_told_from_il_only()
    {
        // The shared framework ships compiled ahead of time; this test assembly is IL only.
        Assert.True(EnvironmentProbe.IsReadyToRunImage(typeof(object).Assembly.Location));
        Assert.False(EnvironmentProbe.IsReadyToRunImage(typeof(JitConfigurationTests).Assembly.Location));
        Assert.False(EnvironmentProbe.IsReadyToRunImage(Path.Combine(Path.GetTempPath(), "no-such-assembly.dll")));
    }

    [Fact]
    public void A_result_keeps_its_jit_configuration_and_an_older_result_without_one_still_reads()
    {
        var older = TestRuns.Read("unary-open");
        Assert.Null(older.Environment.Jit);

        var jit = new JitConfiguration(TieredCompilation: true, TieredPgo: false, QuickJitForLoops: true, ReadyToRun: true);
        var directory = Directory.CreateTempSubdirectory("jit-config-").FullName;
        try
        {
            var path = ResultJson.WriteNew(older with { Environment = older.Environment with { Jit = jit } }, directory);
            Assert.Equal(jit, ResultJson.Read(path).Environment.Jit);
            Assert.Contains("\"jit\": {", File.ReadAllText(path), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

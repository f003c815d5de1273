extern alias LoadGen;

using GrpcLoadLab.EndToEnd.Tests.Processes;
using LoadGen::GrpcLoadLab.LoadGen.Runner;

namespace GrpcLoadLab.EndToEnd.Tests.LoadGen;

/// <summary>
/// The runtime settings scripts/lib/loadgen-gc.sh gives every loadgen a script starts reach the generator, and its
/// result.json says which it ran with: two runs whose generators differ in them do not compare (docs/benchmarks.md).
/// </summary>
public class ScriptRuntimeSettingsTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_loadgen_started_as_the_scripts_start_it_records_their_gc_settings_in_its_result()
    {
        await using var server = await ServerProcess.StartAsync();
        var folder = Directory.CreateTempSubdirectory("loadgen-settings-").FullName;
        try
        {
            var scenario = Path.Combine(folder, "scenario.json");
            await File.WriteAllTextAsync(scenario, $$"""
                {"name": "settings", "target": {"address": "static:127.0.0.1:{{server.Port}}"}, "call": {"kind": "unary"},
                 "phases": [{"type": "constant-concurrency", "concurrency": 2, "duration": "1s"}]}
                """);

            await using var run = LoadGenProcess.StartAsScriptsDo("run", scenario, "--no-follow");
            var exitCode = await run.WaitForExitAsync(RunLimit);

            Assert.True(exitCode is ExitCodes.Passed or ExitCodes.Invalid, $"exit {exitCode}\n{run.StandardOutput}{run.StandardError}");
            var gc = run.ReadResult().Environment.Gc;
            Assert.NotNull(gc);
            Assert.Equal(32L << 20, gc.Gen0SizeBytes);
            Assert.Equal(4096, gc.ArrayPoolArraysPerPartition);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

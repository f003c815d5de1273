extern alias LoadGen;

using System.Reflection.PortableExecutable;
using GrpcLoadLab.EndToEnd.Tests.Processes;
using LoadGen::GrpcLoadLab.LoadGen.Results;
using LoadGen::GrpcLoadLab.LoadGen.Runner;

namespace GrpcLoadLab.EndToEnd.Tests.LoadGen;

/// <summary>
/// A fresh <c>loadgen</c> process measured from its first second on (no warm-up phase): its JIT compiles at a high
/// rate in the measured window, and the run says so in a warning, not an invalidity (the other cases, a warm
/// generator among them, are built timelines in LoadGen.Tests' GeneratorWarmupTests).
/// </summary>
public class GeneratorWarmupTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_run_without_a_warm_up_is_warned_that_it_measured_a_generator_still_warming_up()
    {
        await using var server = await ServerProcess.StartAsync();
        var folder = Directory.CreateTempSubdirectory("loadgen-warmup-").FullName;
        try
        {
            var scenario = Path.Combine(folder, "scenario.json");
            await File.WriteAllTextAsync(scenario, $$"""
                {"name": "cold", "target": {"address": "static:127.0.0.1:{{server.Port}}"}, "call": {"kind": "unary"},
                 "phases": [{"type": "constant-concurrency", "concurrency": 16, "duration": "4s"}]}
                """);

            var (exitCode, run) = await LoadGenProcess.RunAsync(RunLimit, "run", scenario, "--no-follow");
            await using (run)
            {
                // Valid, unless the shared machine held the generator back (its GC, its thread pool): a warning never invalidates.
                Assert.True(exitCode is ExitCodes.Passed or ExitCodes.Invalid, $"exit {exitCode}\n{run.StandardOutput}{run.StandardError}");
                var result = run.ReadResult();
                var first = result.Timeline[0].Generator.JitCompiledMethods;
                // A fresh process compiles its hot methods again, optimised, in its first seconds under load, however fast
                // the machine: hundreds of methods (over the self-check's 100 a second), and the warning's whole premise.
                Assert.True(first > 100, $"the JIT compiled {first} methods in the first second");

                Assert.DoesNotContain(result.Verdict.InvalidReasons, r => r.Contains("warming up", StringComparison.Ordinal));
                var warning = Assert.Single(result.Verdict.Warnings);
                Assert.StartsWith("the generator was still warming up in the measured phases", warning, StringComparison.Ordinal);
                Assert.Matches(@"in seconds? 1(-\d+)? of the run", warning);
                Assert.Contains("warning: " + warning, run.StandardOutput.ReplaceLineEndings(" "), StringComparison.Ordinal);
                var report = Path.Combine(Path.GetDirectoryName(Directory.GetFiles(Path.Combine(run.WorkingDirectory, "reports"), "result.json", SearchOption.AllDirectories)[0])!, "report.html");
                Assert.Contains("id=\"warnings\"", await File.ReadAllTextAsync(report), StringComparison.Ordinal);

                // The run records how its code was compiled, as the build made it: loadgen.dll compiled ahead of time
                // (src/ReadyToRun.targets), dynamic PGO on (LoadGen.csproj).
                using var image = new PEReader(File.OpenRead(RepositoryPaths.LoadGenDll));
                Assert.True(image.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, "loadgen.dll holds IL only");
                Assert.Equal(new JitConfiguration(TieredCompilation: true, TieredPgo: true, QuickJitForLoops: true, ReadyToRun: true), result.Environment.Jit);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

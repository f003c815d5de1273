extern alias LoadGen;

using GrpcLoadLab.EndToEnd.Tests.LoadGen;
using LoadGen::GrpcLoadLab.LoadGen.Runner;

namespace GrpcLoadLab.EndToEnd.Tests.Faults;

/// <summary>Faults that cannot be carried out stop the run before any load, in one line with exit code 2.</summary>
public sealed class FaultInputTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fault-input-").FullName;

    [Fact]
    public async Task Process_faults_without_the_fleet_script_exit_2_before_any_load()
    {
        var missing = Path.Combine(_folder, "no-such-servers.sh");

        var (line, run) = await RunRefusedAsync(Scenario("""{"at": "1s", "action": "kill", "instance": 1}"""), "--fleet-script", missing);
        await using (run)
        {
            Assert.Equal($"loadgen: the fleet script {missing} does not exist: run from the repository root, or pass --fleet-script PATH", line);
        }
    }

    [Fact]
    public async Task A_fault_on_an_instance_the_registry_does_not_list_exits_2_before_any_load()
    {
        var (line, run) = await RunRefusedAsync(Scenario("""{"at": "1s", "action": "slow", "instance": 3, "delay": "10ms"}"""));
        await using (run)
        {
            Assert.Equal($"loadgen: the faults name instance 3, but file:{Registry} lists 2 servers: start more, or change the faults", line);
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Registry => Path.Combine(_folder, "servers.txt");

    private string Scenario(string fault)
    {
        // Two addresses nothing listens on: the run must stop before it tries them.
        File.WriteAllLines(Registry, ["127.0.0.1:9", "127.0.0.1:10"]);
        var file = Path.Combine(_folder, "faults.json");
        File.WriteAllText(file, $$"""{"name": "x", "phases": [{"type": "constant-rate", "rate": 10, "duration": "5s"}], "faults": [{{fault}}]}""");
        return file;
    }

    private async Task<(string Line, LoadGenProcess Run)> RunRefusedAsync(string scenario, params string[] arguments)
    {
        var (exitCode, run) = await LoadGenProcess.RunAsync(TimeSpan.FromMinutes(2), ["run", scenario, "--target", $"file:{Registry}", .. arguments]);
        Assert.True(exitCode == ExitCodes.BadInput, $"exit {exitCode}\n{run.StandardOutput}{run.StandardError}");
        Assert.False(Directory.Exists(Path.Combine(run.WorkingDirectory, "reports")));
        Assert.DoesNotContain("   at ", run.StandardError, StringComparison.Ordinal);
        return (Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)), run);
    }
}

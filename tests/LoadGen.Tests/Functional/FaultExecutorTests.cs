using Grpc.Core;
using Grpc.Net.Client;
using GrpcLoadLab.Balancer;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Runner;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Terminal;

namespace GrpcLoadLab.LoadGen.Tests.Functional;

/// <summary>
/// A run's slow and fail faults against real in-process servers (a <c>static:</c> target: no fleet script needed):
/// carried out at their time, recorded with their outcome, cleared at the end, and never a reason for the run to fail.
/// </summary>
public sealed class FaultExecutorTests : IDisposable
{
    private readonly string _reports = Directory.CreateTempSubdirectory("loadgen-faults-").FullName;

    public void Dispose() => Directory.Delete(_reports, recursive: true);

    [Fact]
    public async Task Faults_are_carried_out_at_their_time_recorded_and_cleared_at_the_end()
    {
        await using var servers = await InProcessFleet.StartAsync(2, (_, options) => options.AllowFaults = true);
        var (first, second) = (servers.Address(0), servers.Address(1));
        var scenario = Scenario(servers.StaticTarget, TimeSpan.FromSeconds(2)) with
        {
            Faults =
            [
                new FailFault(TimeSpan.FromSeconds(0.5), 2, 1, StatusCode.Internal) { Until = TimeSpan.FromSeconds(1.5) },
                new SlowFault(TimeSpan.FromSeconds(1), 1, TimeSpan.FromMilliseconds(5)),
            ],
        };

        var result = (await RunAsync(scenario)).Result;

        Assert.Equal(
            [(0, "fail", 2, second, "100% of calls fail INTERNAL", 0.5, (double?)1.5), (1, "slow", 1, first, "+5ms a call", 1.0, null)],
            result.Faults.Select(f => (f.Index, f.Action, f.Instance, f.Address, f.Detail, f.AtSeconds, f.UntilSeconds)));
        Assert.All(result.Faults, f => Assert.True(f.Ok && f.Error is null && f.DoneSeconds >= f.AtSeconds, f.ToString()));
        Assert.True(result.Totals.Calls.AddsUp);
        Assert.True(result.Totals.StatusCodes.GetValueOrDefault("INTERNAL") > 0, "the failing instance failed its calls");
        Assert.Equal(["INTERNAL"], Assert.Single(result.Endpoints, e => e.Address == second).FailedByStatus.Keys);
        // The slow fault had no end: the run cleared it. The fail fault ended by its own duration.
        Assert.False(await FaultActiveAsync(first));
        Assert.False(await FaultActiveAsync(second));
    }

    [Fact]
    public async Task A_fault_that_fails_is_recorded_with_its_error_and_the_run_goes_on()
    {
        await using var server = await InProcessFleet.StartAsync();
        var scenario = Scenario(server.StaticTarget, TimeSpan.FromSeconds(1)) with
        {
            Faults = [new SlowFault(TimeSpan.FromSeconds(0.2), 1, TimeSpan.FromMilliseconds(5))],
        };

        var outcome = await RunAsync(scenario);

        var fault = Assert.Single(outcome.Result.Faults);
        Assert.False(fault.Ok);
        Assert.NotNull(fault.DoneSeconds);
        Assert.Equal("FAILED_PRECONDITION: faults are off: start the server with --allow-faults", fault.Error);
        Assert.False(outcome.Result.Partial);
        Assert.Equal(0, outcome.Result.Totals.Calls.Failed);
    }

    [Fact]
    public async Task Faults_not_yet_due_when_the_load_ends_are_recorded_as_not_run()
    {
        await using var server = await InProcessFleet.StartAsync(configure: (_, options) => options.AllowFaults = true);
        var scenario = Scenario(server.StaticTarget, TimeSpan.FromSeconds(1)) with
        {
            // The phase may last a minute, but its 20 calls take a moment.
            Phases = [new IterationsPhase(4, 20) { Timeout = TimeSpan.FromMinutes(1) }],
            Faults = [new FailFault(TimeSpan.FromSeconds(50), 1, 0.5, StatusCode.Unavailable)],
        };

        var result = (await RunAsync(scenario)).Result;

        var fault = Assert.Single(result.Faults);
        Assert.Equal((false, null, "not run: the run ended before its time"), (fault.Ok, fault.DoneSeconds, fault.Error));
        Assert.Equal(20, result.Totals.Calls.Succeeded);
    }

    [Fact]
    public async Task Process_faults_without_a_fleet_script_or_on_an_instance_the_target_lacks_are_refused_before_any_load()
    {
        // Nothing listens on these: the run must stop before it tries them.
        var scenario = Scenario("static:127.0.0.1:9,127.0.0.1:10", TimeSpan.FromSeconds(1)) with
        {
            Faults = [new SlowFault(TimeSpan.Zero, 3, TimeSpan.FromMilliseconds(1))],
        };

        var beyond = await Assert.ThrowsAsync<BalancerConfigurationException>(() => RunAsync(scenario));
        Assert.Equal("the faults name instance 3, but static:127.0.0.1:9,127.0.0.1:10 lists 2 servers: start more, or change the faults", beyond.Message);

        var registry = Path.Combine(_reports, "servers.txt");
        await File.WriteAllLinesAsync(registry, ["127.0.0.1:9"]);
        var noFleet = await Assert.ThrowsAsync<LoadRunException>(() => RunAsync(scenario with
        {
            Target = new TargetSpec { Address = TargetAddress.Parse($"file:{registry}") },
            Faults = [new KillFault(TimeSpan.Zero, 1)],
        }));
        Assert.Equal("the scenario's faults kill, terminate or restart servers, which needs the fleet script: pass --fleet-script PATH", noFleet.Message);
        Assert.Equal(["servers.txt"], Directory.EnumerateFileSystemEntries(_reports).Select(Path.GetFileName));
    }

    private Scenario Scenario(string target, TimeSpan measured) => new()
    {
        Name = "faults",
        Target = new TargetSpec { Address = TargetAddress.Parse(target) },
        Call = new CallSpec { Delay = TimeSpan.FromMilliseconds(2) },
        Phases = [new ConstantRatePhase(100, measured)],
        Report = new ReportSpec { Directory = _reports },
    };

    private static Task<RunOutcome> RunAsync(Scenario scenario) =>
        new LoadRun(scenario, ProgressDisplay.Create(TextWriter.Null, isTerminal: false)).ExecuteAsync(CancellationToken.None);

    private static async Task<bool> FaultActiveAsync(string address)
    {
        using var channel = GrpcChannel.ForAddress($"http://{address}");
        return (await new LoadLab.LoadLabClient(channel).GetStatsAsync(new StatsRequest())).FaultActive;
    }
}

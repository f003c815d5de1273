extern alias LabServer;

using System.Net;
using System.Net.Sockets;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Runner;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Terminal;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcLoadLab.LoadGen.Tests.Functional;

public sealed class LoadRunTests : IDisposable
{
    private readonly string _reports = Directory.CreateTempSubdirectory("loadgen-reports-").FullName;

    public void Dispose() => Directory.Delete(_reports, recursive: true);

    [Theory]
    [InlineData(CallKind.Unary)]
    [InlineData(CallKind.ServerStream)]
    [InlineData(CallKind.ClientStream)]
    [InlineData(CallKind.Bidi)]
    public async Task Each_call_kind_runs_against_a_real_server_and_writes_a_result_that_adds_up(CallKind kind)
    {
        await using var server = await InProcessFleet.StartAsync();
        var scenario = Scenario(server, new CallSpec { Kind = kind, RequestSize = 64, ReplySize = 128, Replies = 3, Messages = 3 }) with
        {
            Phases = [new ConstantConcurrencyPhase(4, TimeSpan.FromSeconds(1)) { Warmup = true }, new ConstantRatePhase(100, TimeSpan.FromSeconds(1))],
        };

        var outcome = await RunAsync(scenario);

        var result = ResultJson.Read(outcome.ResultPath);
        Assert.Equal(ExpectedExitCode(outcome, ExitCodes.Passed), outcome.ExitCode);
        Assert.Equal(result.Verdict.Valid, result.Verdict.InvalidReasons.Count == 0);
        var totals = result.Totals;
        Assert.False(result.Partial);
        Assert.True(totals.Calls.AddsUp);
        Assert.Equal(100, totals.Calls.Started);
        Assert.Equal(100, totals.Calls.Succeeded);
        Assert.Equal(100, totals.Latency.Count);
        Assert.Equal(new Dictionary<string, long> { ["OK"] = 100 }, totals.StatusCodes);
        Assert.NotNull(totals.ScheduleLag);
        var messages = kind is CallKind.ClientStream or CallKind.Bidi ? 3 : 1;
        var replies = kind switch { CallKind.ServerStream => 3, CallKind.Bidi => 3, _ => 1 };
        Assert.Equal(100 * messages, totals.MessagesSent);
        Assert.Equal(100 * replies, totals.MessagesReceived);
        Assert.Equal(kind != CallKind.Unary, totals.FirstMessage is not null);
        Assert.Equal(kind == CallKind.Bidi, totals.MessageLatency is not null);
        Assert.Equal(kind == CallKind.ServerStream, totals.InterArrival is not null);

        var endpoint = Assert.Single(result.Endpoints);
        Assert.Equal(server.Address(), endpoint.Address);
        Assert.Equal(server.InstanceIdOf(0), endpoint.InstanceId);
        Assert.Equal(100, endpoint.Succeeded);
        Assert.Equal(1.0, endpoint.Share);
        Assert.All(result.Servers, s => Assert.NotNull(s.End));
        Assert.Equal(2, result.Phases.Count);
        Assert.True(result.Phases[0].Warmup);
    }

    /// <summary>
    /// A call by schema does not decode its replies, so none names its instance, while the lab's servers are named by
    /// their counters: each server's row is then the balancer's count of the calls it answered, never 0 beside a run
    /// of successes.
    /// </summary>
    [Theory]
    [InlineData(CallKind.Unary)]
    [InlineData(CallKind.Bidi)]
    public async Task A_run_by_schema_against_the_labs_servers_counts_each_servers_calls(CallKind kind)
    {
        await using var fleet = await InProcessFleet.StartAsync(2);
        var scenario = Scenario(fleet, new CallSpec
        {
            Kind = kind,
            Method = $"lab.v1.LoadLab/{kind}",
            Protos = [Path.Combine(RepositoryFolder.Root, "protos", "lab.proto")],
            Messages = 3,
        }) with
        {
            Phases = [new IterationsPhase(2, 40)],
        };

        var result = (await RunAsync(scenario)).Result;

        Assert.Equal(40, result.Totals.Calls.Succeeded);
        Assert.Equal(new[] { fleet.InstanceIdOf(0), fleet.InstanceIdOf(1) }.Order(), result.Endpoints.Select(e => e.InstanceId).Order());
        Assert.Equal(40, result.Endpoints.Sum(e => e.Succeeded));
        Assert.All(result.Endpoints, e => Assert.True(e.Succeeded > 0 && e.Succeeded == e.Picks, $"{e.InstanceId}: {e.Succeeded} succeeded of {e.Picks} picks"));
        Assert.Equal(1.0, result.Endpoints.Sum(e => e.Share), precision: 3);
    }

    [Fact]
    public async Task Thresholds_decide_the_exit_code()
    {
        await using var server = await InProcessFleet.StartAsync();
        var scenario = Scenario(server, new CallSpec()) with { Thresholds = ["errors < 1%", "p99 < 1us"] };

        var failing = await RunAsync(scenario);
        var passing = await RunAsync(scenario with { Thresholds = ["errors < 1%", "p99 < 10s"] });

        Assert.Equal([true, false], failing.Result.Verdict.Thresholds.Select(t => t.Passed));
        Assert.Equal(ExpectedExitCode(failing, ExitCodes.ThresholdsFailed), failing.ExitCode);
        Assert.Equal([true, true], passing.Result.Verdict.Thresholds.Select(t => t.Passed));
        Assert.Equal(ExpectedExitCode(passing, ExitCodes.Passed), passing.ExitCode);
    }

    [Fact]
    public async Task An_interrupted_run_still_writes_what_it_measured_marked_partial()
    {
        await using var server = await InProcessFleet.StartAsync();
        var scenario = Scenario(server, new CallSpec { Delay = TimeSpan.FromMilliseconds(50) }) with
        {
            Phases = [new ConstantRatePhase(200, TimeSpan.FromMinutes(5))],
        };
        using var interrupt = new CancellationTokenSource();
        var display = new SignallingDisplay(snapshot => snapshot.Succeeded > 0 && snapshot.InFlight > 0);

        var run = new LoadRun(scenario, display).ExecuteAsync(interrupt.Token);
        await display.Signalled.WaitAsync(TimeSpan.FromMinutes(1));
        await interrupt.CancelAsync();
        var outcome = await run;

        Assert.Equal(ExitCodes.Interrupted, outcome.ExitCode);
        var result = ResultJson.Read(outcome.ResultPath);
        Assert.True(result.Partial);
        Assert.NotNull(result.PartialReason);
        Assert.True(result.Totals.Calls.AddsUp);
        Assert.True(result.Totals.Calls.Succeeded > 0);
        Assert.True(result.Totals.Calls.Cancelled > 0, "calls in flight at the interrupt are cancelled");
        // Their attempts ended with no status at the balancer, none with a failure of their server's.
        var row = Assert.Single(result.Endpoints);
        Assert.True(row.Failed == 0 && row.NoStatus > 0, $"{row.Failed} failed ({string.Join(", ", row.FailedByStatus)}), {row.NoStatus} with no status, of {result.Totals.Calls.Cancelled} cancelled");
    }

    /// <summary>
    /// Streams that the run cancels while they are open (a minute's pause between two messages) end with no status from
    /// their server: its row counts each of them so, not as failed, as it counts the streams a killed instance cuts off.
    /// </summary>
    [Fact]
    public async Task Streams_cut_off_while_open_are_counted_in_their_servers_row_as_ended_with_no_status()
    {
        const int Streams = 4;
        await using var server = await InProcessFleet.StartAsync();
        var scenario = Scenario(server, new CallSpec
        {
            Kind = CallKind.Bidi,
            Messages = 3,
            MessageInterval = TimeSpan.FromMinutes(1),
            Deadline = TimeSpan.FromMinutes(5),
        }) with
        {
            Phases = [new IterationsPhase(Streams, Streams)],
        };
        var bidi = server.Instance(0).Services.GetRequiredService<LabServer::GrpcLoadLab.Server.Metrics.InstanceCounters>()[LabServer::GrpcLoadLab.Server.Metrics.CallKind.Bidi];
        using var interrupt = new CancellationTokenSource();

        var run = new LoadRun(scenario, ProgressDisplay.Create(TextWriter.Null, isTerminal: false)).ExecuteAsync(interrupt.Token);
        // Every stream has its first echo: each is open, in its pause.
        using (var bound = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            while (bidi.MessagesSent < Streams)
            {
                await Task.Delay(50, bound.Token);
            }
        }

        await interrupt.CancelAsync();
        var result = ResultJson.Read((await run).ResultPath);

        Assert.Equal(Streams, result.Totals.Calls.Cancelled);
        var row = Assert.Single(result.Endpoints);
        Assert.True(row.NoStatus == Streams && row.Failed == 0, $"{row.NoStatus} attempts with no status, {row.Failed} failed");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_servers_row_counts_the_measured_phases_attempts_and_none_of_the_warm_ups(bool openWarmup)
    {
        await using var server = await InProcessFleet.StartAsync();
        LoadPhase warmup = openWarmup
            ? new ConstantRatePhase(40, TimeSpan.FromSeconds(1)) { Warmup = true }
            : new IterationsPhase(4, 40) { Warmup = true };
        // A closed and an open measured phase: each loop marks its calls as its phase is.
        var scenario = Scenario(server, new CallSpec()) with
        {
            Phases = [warmup, new IterationsPhase(2, 10), new ConstantRatePhase(10, TimeSpan.FromSeconds(1))],
        };

        var result = (await RunAsync(scenario)).Result;

        Assert.True(result.Phases[0].Stats.Calls.Started > 0, "the warm-up made no call");
        var row = Assert.Single(result.Endpoints);
        // The balancer's counts are of the measured phases' 20 calls, not of the warm-up's 40 too.
        Assert.Equal(result.Totals.Calls.Started, row.Picks);
        Assert.Equal((result.Totals.Calls.Succeeded, result.Totals.Calls.Failed), (row.Succeeded, row.Failed));
    }

    [Fact]
    public async Task A_target_where_no_server_answers_is_refused_before_any_load()
    {
        var scenario = new Scenario
        {
            Name = "unreachable",
            Target = new TargetSpec { Address = TargetAddress.Parse($"static:127.0.0.1:{UnusedPort()}") },
            Call = new CallSpec(),
            Phases = [new ConstantRatePhase(10, TimeSpan.FromSeconds(1))],
            Report = new ReportSpec { Directory = _reports },
        };

        var error = await Assert.ThrowsAsync<LoadRunException>(() => new LoadRun(scenario, ProgressDisplay.Create(TextWriter.Null, isTerminal: false)).ExecuteAsync(CancellationToken.None));

        Assert.Contains("no server of static:127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_reports));
    }

    private Scenario Scenario(InProcessFleet server, CallSpec call) => new()
    {
        Name = "functional",
        Target = new TargetSpec { Address = TargetAddress.Parse(server.StaticTarget) },
        Call = call,
        Phases = [new ConstantConcurrencyPhase(4, TimeSpan.FromSeconds(1))],
        Report = new ReportSpec { Directory = _reports },
    };

    /// <summary>
    /// On a busy machine the generator may miss its schedule: the run is then marked invalid (saying why), and
    /// that verdict comes before the thresholds'.
    /// </summary>
    private static int ExpectedExitCode(RunOutcome outcome, int whenValid) =>
        outcome.Result.Verdict.Valid ? whenValid : ExitCodes.Invalid;

    private static Task<RunOutcome> RunAsync(Scenario scenario) =>
        new LoadRun(scenario, ProgressDisplay.Create(TextWriter.Null, isTerminal: false)).ExecuteAsync(CancellationToken.None);

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

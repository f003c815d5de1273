using GrpcLoadLab.Balancer.Tracking;
using GrpcLoadLab.LoadGen.Following;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Runner;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Terminal;
using GrpcLoadLab.Testing;

namespace GrpcLoadLab.LoadGen.Tests.Following;

/// <summary>
/// A run follows every server it calls through WatchStats, against real in-process instances: the seconds cover the
/// run and count the very calls the generator made; a restarted instance and one that joins later are followed too;
/// <c>--no-follow</c> leaves the series out.
/// </summary>
public sealed class ServerFollowingTests : IDisposable
{
    private readonly string _reports = Directory.CreateTempSubdirectory("loadgen-follow-").FullName;

    public void Dispose() => Directory.Delete(_reports, recursive: true);

    [Fact]
    public async Task A_run_keeps_each_instance_s_seconds_over_the_run_and_they_count_the_generator_s_calls()
    {
        await using var fleet = await InProcessFleet.StartAsync(2);
        var scenario = Scenario(fleet) with
        {
            Phases = [new ConstantConcurrencyPhase(2, TimeSpan.FromSeconds(1)) { Warmup = true }, new ConstantConcurrencyPhase(4, TimeSpan.FromSeconds(2))],
        };

        var outcome = await Run(scenario);

        var result = ResultJson.Read(outcome.ResultPath);
        var timelines = result.ServerTimelines!;
        Assert.Equal(new[] { fleet.Address(0), fleet.Address(1) }.Order(StringComparer.Ordinal), timelines.Select(t => t.Address));
        var runEnd = result.Phases[^1].EndSeconds;
        foreach (var timeline in timelines)
        {
            Assert.Null(timeline.NotFollowed);
            Assert.Equal(InProcessFleet.InstanceId(int.Parse(timeline.Address.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)), timeline.InstanceId);
            Assert.Empty(timeline.Gaps);
            var seconds = timeline.Seconds;
            Assert.True(seconds[0].StartSeconds <= 0, $"the first second starts at {seconds[0].StartSeconds} s, after the run's start");
            Assert.True(seconds[^1].EndSeconds >= runEnd, $"the last second ends at {seconds[^1].EndSeconds} s, before the run's end at {runEnd} s");
            for (var i = 1; i < seconds.Count; i++)
            {
                Assert.Equal(seconds[i - 1].Index + 1, seconds[i].Index);
                // Both are whole microseconds from the run's start, as doubles: equal within half a microsecond (rounding
                // each to decimals would split them when they straddle a rounding boundary).
                Assert.Equal(seconds[i - 1].EndSeconds, seconds[i].StartSeconds, tolerance: 0.5e-6);
            }

        }

        // Every call of the run, warm-up included, ended inside the seconds kept, on one instance or the other.
        var served = timelines.Sum(t => t.Seconds.Sum(s => s.Calls.GetValueOrDefault("unary")?.Completed ?? 0));
        Assert.Equal(result.Phases.Sum(p => p.Stats.Calls.Succeeded), served);
        Assert.True(served > 0);
    }

    [Fact]
    public async Task A_restarted_instance_and_one_that_joins_later_are_followed()
    {
        await using var fleet = await InProcessFleet.StartAsync(2);
        var endpoints = new EndpointRegistry();
        var start = DateTimeOffset.Now;
        using var follower = new ServerFollower(endpoints, [fleet.Address(0)], start);
        follower.Start();

        await Until(() => follower.SecondsReceived(fleet.Address(0)) >= 1);
        await fleet.StopAsync(0);
        var beforeRestart = follower.SecondsReceived(fleet.Address(0));
        await fleet.RestartAsync(0);
        // The balancer learns of the second instance only now; it was serving from before the run.
        endpoints.For(fleet.Address(1));
        await Until(() => follower.SecondsReceived(fleet.Address(0)) >= beforeRestart + 2 && follower.SecondsReceived(fleet.Address(1)) >= 2);
        var timelines = await follower.StopAsync(DateTimeOffset.Now, catchUp: true);

        var restarted = timelines.Single(t => t.Address == fleet.Address(0));
        Assert.Null(restarted.NotFollowed);
        Assert.True(restarted.Reopened >= 1);
        var indexes = restarted.Seconds.Select(s => s.Index).ToList();
        // The restarted instance counts from 0 again: its index does not go up where its new seconds begin (from 0 to 0
        // when it was stopped within its first second).
        Assert.Contains(indexes.Zip(indexes.Skip(1)), pair => pair.Second <= pair.First);
        var joined = timelines.Single(t => t.Address == fleet.Address(1));
        Assert.Null(joined.NotFollowed);
        Assert.True(joined.Seconds[0].StartSeconds <= 0, "recent seconds bring the instance's seconds from the run's start");
        Assert.Empty(joined.Gaps);
    }

    [Fact]
    public async Task Without_following_the_result_has_no_series()
    {
        await using var fleet = await InProcessFleet.StartAsync();

        var outcome = await new LoadRun(Scenario(fleet), ProgressDisplay.Create(TextWriter.Null, isTerminal: false), followServers: false).ExecuteAsync(CancellationToken.None);

        Assert.Null(ResultJson.Read(outcome.ResultPath).ServerTimelines);
        Assert.DoesNotContain("serverTimelines", File.ReadAllText(outcome.ResultPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_instance_that_never_answers_is_not_followed_and_the_run_goes_on()
    {
        await using var fleet = await InProcessFleet.StartAsync(2);
        await fleet.StopAsync(1);
        var endpoints = new EndpointRegistry();
        using var follower = new ServerFollower(endpoints, [fleet.Address(0), fleet.Address(1)], DateTimeOffset.Now);
        follower.Start();

        await Until(() => follower.SecondsReceived(fleet.Address(0)) >= 2);
        var timelines = await follower.StopAsync(DateTimeOffset.Now, catchUp: true);

        Assert.Null(timelines.Single(t => t.Address == fleet.Address(0)).NotFollowed);
        var down = timelines.Single(t => t.Address == fleet.Address(1));
        Assert.StartsWith("no second arrived: Unavailable", down.NotFollowed, StringComparison.Ordinal);
        Assert.Empty(down.Seconds);
        Assert.True(down.Reopened >= 1);
    }

    /// <summary>Waits for <paramref name="condition"/>, generously: the machine may be busy.</summary>
    private static async Task Until(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }

    private static Task<RunOutcome> Run(Scenario scenario) =>
        new LoadRun(scenario, ProgressDisplay.Create(TextWriter.Null, isTerminal: false)).ExecuteAsync(CancellationToken.None);

    private Scenario Scenario(InProcessFleet fleet) => new()
    {
        Name = "follow",
        Target = new TargetSpec { Address = TargetAddress.Parse(fleet.StaticTarget) },
        Call = new CallSpec(),
        Phases = [new ConstantConcurrencyPhase(2, TimeSpan.FromSeconds(1))],
        Report = new ReportSpec { Directory = _reports },
    };
}

using Grpc.Core;
using GrpcLoadLab.Balancer;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Tests.Scenarios;

/// <summary>
/// The fault scenarios in <c>scenarios/faults/</c> (docs/faults.md) all load, share one workload — three instances of
/// capacity 20 and 200 ms calls, an open model at half of their 300 calls/s — and put in the faults their names say.
/// </summary>
public class ReadyFaultScenarioTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "scenarios", "faults");

    public static TheoryData<string> Files => [.. Names()];

    [Fact]
    public void The_fault_scenarios_are_all_there()
    {
        Assert.Equal(
            ["all-down", "deadline-short", "fail-invalid-argument", "fail-unavailable-retry", "kill-one", "kill-one-retry", "overload", "restart-one",
                "slow-one", "slow-one-hedging", "slow-one-least-outstanding", "terminate-one"],
            Names().Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_fault_scenario_loads_and_runs_the_shared_workload(string name)
    {
        var scenario = Load(name);

        Assert.Equal(name, scenario.Name);
        Assert.False(string.IsNullOrWhiteSpace(scenario.Description));
        Assert.Equal("file:.lab/servers.txt", scenario.Target.Address.Text);
        Assert.Equal(new CallSpec { Delay = TimeSpan.FromMilliseconds(200), Deadline = name == "deadline-short" ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(2) }, scenario.Call);
        Assert.Equal(
            [new ConstantRatePhase(150, TimeSpan.FromSeconds(3)) { Name = "warm-up", Warmup = true }, new ConstantRatePhase(name == "overload" ? 600 : 150, TimeSpan.FromSeconds(27))],
            scenario.Phases);
        Assert.NotEmpty(scenario.Thresholds);
    }

    [Fact]
    public void Each_puts_in_the_faults_its_name_says()
    {
        var second = TimeSpan.FromSeconds(1);
        Assert.Equal([new KillFault(10 * second, 2)], Load("kill-one").Faults);
        Assert.Equal(Load("kill-one").Faults, Load("kill-one-retry").Faults);
        Assert.Equal(RetryMode.Retry, Load("kill-one-retry").Target.Retry);
        Assert.Equal([new TerminateFault(10 * second, 2)], Load("terminate-one").Faults);
        Assert.Equal([new KillFault(10 * second, 2), new RestartFault(18 * second, 2)], Load("restart-one").Faults);
        Assert.Equal([new KillFault(10 * second, 1), new KillFault(10 * second, 2), new KillFault(10 * second, 3)], Load("all-down").Faults);

        var slow = new SlowFault(10 * second, 3, TimeSpan.FromMilliseconds(400)) { Until = 25 * second };
        Assert.All(["slow-one", "slow-one-least-outstanding", "slow-one-hedging"], name => Assert.Equal([slow], Load(name).Faults));
        Assert.Equal((BalancingPolicy.RoundRobin, RetryMode.None), Target(Load("slow-one")));
        Assert.Equal((BalancingPolicy.LeastOutstanding, RetryMode.None), Target(Load("slow-one-least-outstanding")));
        Assert.Equal((BalancingPolicy.RoundRobin, RetryMode.Hedging), Target(Load("slow-one-hedging")));

        Assert.Equal([new FailFault(10 * second, 2, 1, StatusCode.Unavailable) { Until = 25 * second }], Load("fail-unavailable-retry").Faults);
        Assert.Equal([new FailFault(10 * second, 2, 1, StatusCode.InvalidArgument) { Until = 25 * second }], Load("fail-invalid-argument").Faults);
        Assert.Equal(RetryMode.Retry, Load("fail-unavailable-retry").Target.Retry);
        Assert.Equal(RetryMode.Retry, Load("fail-invalid-argument").Target.Retry);
        Assert.Empty(Load("overload").Faults);
        Assert.Empty(Load("deadline-short").Faults);
    }

    private static (BalancingPolicy, RetryMode) Target(Scenario scenario) => (scenario.Target.Policy, scenario.Target.Retry);

    private static IEnumerable<string> Names() => Directory.GetFiles(Folder, "*.json").Select(file => Path.GetFileNameWithoutExtension(file));

    // The fleet's registry is written by scripts/servers.sh start; the run checks it, not this test.
    private static Scenario Load(string name) => ScenarioLoader.Load(Path.Combine(Folder, $"{name}.json"));
}

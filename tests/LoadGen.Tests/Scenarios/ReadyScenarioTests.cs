using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Scenarios.Thresholds;

namespace GrpcLoadLab.LoadGen.Tests.Scenarios;

/// <summary>The scenarios in <c>scenarios/</c> (copied beside the tests) all load.</summary>
public class ReadyScenarioTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "scenarios");

    public static TheoryData<string> Files => [.. FileNames()];

    [Fact]
    public void The_ready_scenarios_are_all_there()
    {
        Assert.Equal(
            ["bidi.json", "client-stream.json", "cpu-bound.json", "io-bound.json", "ramp-rate.json", "server-stream.json", "unary-closed.json", "unary-open.json"],
            FileNames().Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_ready_scenario_loads_and_is_named_after_its_file(string file)
    {
        // The fleet's registry is written by scripts/servers.sh start; the run checks it, not this test.
        var scenario = ScenarioLoader.Load(Path.Combine(Folder, file));

        Assert.Equal(Path.GetFileNameWithoutExtension(file), scenario.Name);
        Assert.False(string.IsNullOrWhiteSpace(scenario.Description));
        Assert.Equal("file:.lab/servers.txt", scenario.Target.Address.Text);
        Assert.Contains(scenario.Phases, phase => phase.Warmup);
        Assert.NotEmpty(scenario.Thresholds);
        Assert.All(scenario.Thresholds, threshold => Threshold.Parse(threshold));
    }

    [Fact]
    public void The_ready_scenarios_do_what_their_names_say()
    {
        var closed = Load("unary-closed");
        Assert.Equal(
            [new ConstantConcurrencyPhase(16, TimeSpan.FromSeconds(3)) { Name = "warm-up", Warmup = true }, new ConstantConcurrencyPhase(16, TimeSpan.FromSeconds(10))],
            closed.Phases);

        var open = Load("unary-open");
        Assert.Equal([new ConstantRatePhase(500, TimeSpan.FromSeconds(10)), new PoissonPhase(500, TimeSpan.FromSeconds(10))], open.Phases.Where(p => !p.Warmup));

        Assert.Equal(new RampRatePhase(100, 3000, TimeSpan.FromSeconds(20)), Load("ramp-rate").Phases[^1]);
        Assert.Equal(CallKind.ServerStream, Load("server-stream").Call.Kind);
        Assert.Equal(CallKind.ClientStream, Load("client-stream").Call.Kind);
        Assert.Equal(CallKind.Bidi, Load("bidi").Call.Kind);

        var io = Load("io-bound");
        Assert.Equal(TimeSpan.FromMilliseconds(20), io.Call.Delay);
        Assert.Equal(64, Assert.IsType<ConstantConcurrencyPhase>(io.Phases[^1]).Concurrency);

        var cpu = Load("cpu-bound");
        Assert.Equal(TimeSpan.FromMilliseconds(2), cpu.Call.Cpu);
        Assert.Equal(8, Assert.IsType<ConstantConcurrencyPhase>(cpu.Phases[^1]).Concurrency);
    }

    private static IEnumerable<string> FileNames() =>
        Directory.GetFiles(Folder, "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)).Select(f => Path.GetFileName(f));

    private static Scenario Load(string name) => ScenarioLoader.Load(Path.Combine(Folder, $"{name}.json"));
}

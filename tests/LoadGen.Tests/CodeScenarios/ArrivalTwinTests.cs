using System.Collections.Concurrent;
using System.Diagnostics;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.CodeScenarios;
using GrpcLoadLab.LoadGen.Load;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Tests.Load;

namespace GrpcLoadLab.LoadGen.Tests.CodeScenarios;

/// <summary>
/// A scenario file and its C# twin are one plan: the C# scenario runs on the CLI's engine, so for the same seed its
/// steps are due exactly when the file's calls are — the same open-model schedule, to the Stopwatch tick.
/// </summary>
public sealed class ArrivalTwinTests : IDisposable
{
    private const string File = """
        {
          "name": "twin",
          "seed": 7,
          "phases": [
            { "type": "poisson", "warmup": true, "rate": 100, "duration": "1s" },
            { "type": "ramp-rate", "from": 50, "to": 150, "duration": "1s" },
            { "type": "pause", "duration": "200ms" },
            { "type": "poisson", "rate": 200, "duration": "1s" }
          ]
        }
        """;

    private readonly string _reports = Directory.CreateTempSubdirectory("loadgen-twin-").FullName;

    public void Dispose() => Directory.Delete(_reports, recursive: true);

    [Fact]
    public async Task A_scenario_file_and_its_CSharp_twin_have_the_same_arrival_schedule_for_the_same_seed()
    {
        var fromFile = await DuesOfTheEngineAsync(ScenarioLoader.Parse(File, "twin.json"));

        await using var server = await InProcessFleet.StartAsync();
        var fromCode = await DuesOfTheStepsAsync(server, seed: 7);
        var otherSeed = await DuesOfTheStepsAsync(server, seed: 8);

        // About 100 + 100 + 200 calls; the pause starts none.
        Assert.InRange(fromFile.Count, 300, 500);
        Assert.DoesNotContain(fromFile, due => due.Phase == 2);
        Assert.Equal(fromFile, fromCode);
        // The seed is the scenario's: another one gives another Poisson schedule (the ramp's stays as it is).
        Assert.NotEqual(fromFile.Where(d => d.Phase == 3), otherSeed.Where(d => d.Phase == 3));
        Assert.Equal(fromFile.Where(d => d.Phase == 1), otherSeed.Where(d => d.Phase == 1));
    }

    /// <summary>The same scenario, written in C#.</summary>
    private CodeScenario Twin(InProcessFleet server, int seed, ScenarioStep step) => new(
        new Scenario
        {
            Name = "twin",
            Seed = seed,
            Target = new TargetSpec { Address = TargetAddress.Parse(server.StaticTarget) },
            Phases =
            [
                new PoissonPhase(100, TimeSpan.FromSeconds(1)) { Warmup = true },
                new RampRatePhase(50, 150, TimeSpan.FromSeconds(1)),
                new PausePhase(TimeSpan.FromMilliseconds(200)),
                new PoissonPhase(200, TimeSpan.FromSeconds(1)),
            ],
            Report = new ReportSpec { Directory = _reports },
        },
        step);

    /// <summary>When each call of the file's scenario was due, from the engine the CLI runs.</summary>
    private static async Task<List<(int Phase, TimeSpan Due)>> DuesOfTheEngineAsync(Scenario scenario)
    {
        var recorder = new RunRecorder(scenario, Stopwatch.GetTimestamp());
        var driver = new RecordingDriver(recorder, (_, _) => Task.CompletedTask, CancellationToken.None);
        await new LoadEngine(scenario, driver, recorder).RunAsync(CancellationToken.None);
        // Read as a step reads its due time: the Stopwatch ticks from the phase's start, as a TimeSpan.
        return Ordered(driver.Dues.Select(d => (d.Phase, Stopwatch.GetElapsedTime(0, d.Due))));
    }

    /// <summary>When each step of the C# scenario was due, as the steps themselves were told, each making a lab call.</summary>
    private async Task<List<(int Phase, TimeSpan Due)>> DuesOfTheStepsAsync(InProcessFleet server, int seed)
    {
        var dues = new ConcurrentQueue<(int Phase, TimeSpan Due)>();
        var outcome = await Twin(server, seed, async context =>
        {
            dues.Enqueue((context.Phase, context.Due));
            var reply = await context.Client<LoadLab.LoadLabClient>().UnaryAsync(new WorkRequest(), context.CallOptions);
            return StepResult.Ok(instance: reply.InstanceId);
        }).RunAsync();

        Assert.True(outcome.Result.Totals.Calls.AddsUp);
        Assert.Equal(0, outcome.Result.Totals.Calls.Dropped);
        return Ordered(dues);
    }

    private static List<(int Phase, TimeSpan Due)> Ordered(IEnumerable<(int Phase, TimeSpan Due)> dues) => [.. dues.Order()];
}

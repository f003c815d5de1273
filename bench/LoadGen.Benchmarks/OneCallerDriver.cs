using System.Diagnostics;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Calls;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Benchmarks;

/// <summary>loadgen's driver of one call, as one closed-model caller runs it, and the phase it records into.</summary>
internal static class OneCallerDriver
{
    public static (CallDriver Driver, PhaseRecorder Phase) Create(LoadLab.LoadLabClient client, CallSpec call)
    {
        var scenario = new Scenario
        {
            Name = "benchmark",
            Call = call,
            Phases = [new ConstantConcurrencyPhase(Concurrency: 1, Duration: TimeSpan.FromHours(1))],
        };
        var recorder = new RunRecorder(scenario, Stopwatch.GetTimestamp());
        return (CallDriver.Create(client, call, recorder, CancellationToken.None), recorder.Phases[0]);
    }
}

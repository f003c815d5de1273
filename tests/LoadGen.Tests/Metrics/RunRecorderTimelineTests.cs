using System.Diagnostics;
using Grpc.Core;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Tests.Metrics;

public class RunRecorderTimelineTests
{
    private static readonly GeneratorSecond Idle = new(0, 0, 0, 0);

    [Fact]
    public void Each_second_of_the_timeline_holds_only_the_calls_that_ended_in_it()
    {
        // The per-second histograms are recycled from one second to the next: nothing of a second may leak into
        // the following one.
        var scenario = new Scenario { Name = "timeline", Phases = [new ConstantRatePhase(Rate: 100, Duration: TimeSpan.FromSeconds(10))] };
        var recorder = new RunRecorder(scenario, Stopwatch.GetTimestamp());
        var phase = recorder.Phases[0];
        var latencies = new[] { 50_000L, 2_000L, 0L, 700L };

        var seconds = latencies.Select(micros =>
        {
            if (micros > 0)
            {
                var due = Stopwatch.GetTimestamp();
                recorder.CallStarted(phase, due, due + Ticks.FromSeconds(300e-6));
                recorder.CallEnded(phase, new CallRecord(due, due, 0, due + Ticks.FromSeconds(micros / 1e6), StatusCode.OK, false, "a", 0, 0, 1, 1));
            }

            return (Lag: recorder.TakeScheduleLagP99(), Second: recorder.CloseSecond(0, 100, new Dictionary<string, EndpointSecond>(), Idle));
        }).ToArray();

        Assert.Equal([1L, 1, 0, 1], seconds.Select(s => s.Second.Succeeded));
        for (var i = 0; i < latencies.Length; i++)
        {
            // HdrHistogram keeps 3 significant digits: a value reads back within 0.1 %.
            Assert.InRange((double)seconds[i].Second.P99, latencies[i] * 0.999, latencies[i] * 1.001);
        }

        Assert.All(seconds.Where((_, i) => latencies[i] > 0), s => Assert.InRange(s.Lag, 299, 301));
        Assert.Equal(0, seconds[2].Lag);
    }
}

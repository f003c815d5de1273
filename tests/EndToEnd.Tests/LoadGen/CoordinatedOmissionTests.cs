using GrpcLoadLab.EndToEnd.Tests.Processes;

namespace GrpcLoadLab.EndToEnd.Tests.LoadGen;

/// <summary>
/// A server that stalls (SIGSTOP for a second, then SIGCONT) under an open-model load with few calls allowed in
/// flight. Calls due during the stall wait for a slot and start late: latency from their due time shows the stall
/// in full, while service time, counted from the late start, hides it. That gap is coordinated omission, and the
/// reason the lab measures from the schedule.
/// </summary>
public class CoordinatedOmissionTests
{
    private const string Scenario = """
        {
          "name": "stall",
          "call": { "kind": "unary", "deadline": "30s" },
          "maxOutstanding": 8,
          "phases": [ { "type": "constant-rate", "rate": 400, "duration": "12s" } ]
        }
        """;

    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_server_stall_shows_in_latency_from_the_schedule_but_not_in_service_time()
    {
        await using var server = await ServerProcess.StartAsync();
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, Scenario);
        try
        {
            await using var run = LoadGenProcess.Start("run", file, "--target", $"static:127.0.0.1:{server.Port}");
            // Stall the server once the load is well under way (the plain progress line of the 5th second).
            await run.WaitForOutputAsync("[   5s]");
            await server.SignalAsync("STOP");
            await Task.Delay(Stall);
            await server.SignalAsync("CONT");
            await run.WaitForExitAsync(TimeSpan.FromMinutes(2));

            var totals = run.ReadResult().Totals;
            Assert.True(totals.Calls.AddsUp);
            Assert.Equal(0, totals.Calls.Failed);
            // The calls due during the stall (a tenth of all) waited for it: p99 from the schedule is most of it.
            Assert.True(totals.Latency.P99 >= Stall.TotalMicroseconds / 2, $"latency p99 {totals.Latency.P99} µs");
            // Only the few calls in flight at the stall saw it from their actual start: under 1% of the calls.
            Assert.True(totals.ServiceTime.P99 < totals.Latency.P99 / 2, $"service time p99 {totals.ServiceTime.P99} µs, latency p99 {totals.Latency.P99} µs");
            Assert.True(totals.Calls.Late > 0);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

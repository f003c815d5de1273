using Grpc.Core;
using Grpc.Health.V1;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.EndToEnd.Tests.Processes;
using static Grpc.Health.V1.HealthCheckResponse.Types;

namespace GrpcLoadLab.EndToEnd.Tests.Drain;

public class GracefulStopTests
{
    // Long enough for a client on two busy cores to see NOT_SERVING and stop starting calls before the listener closes.
    private static readonly TimeSpan DrainDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(15);
    // Only a bound on the wait for the process, so that a hung drain fails the test instead of hanging it.
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Sigterm_during_load_drains_with_no_failed_call_and_ends_open_streams_with_OK()
    {
        await using var server = await ServerProcess.StartAsync(
            "--drain-delay", $"{DrainDelay.TotalSeconds}s", "--drain-timeout", $"{DrainTimeout.TotalSeconds}s");
        var client = new LoadLab.LoadLabClient(server.Channel);
        using var watch = new Health.HealthClient(server.Channel).Watch(new HealthCheckRequest());
        Assert.Equal(ServingStatus.Serving, await NextStatusAsync(watch));

        using var load = UnaryLoad.Start(
            client, new WorkRequest { DelayMicros = 5_000, ReplySize = 64 }, workers: 16, maxCallsPerWorker: 20_000, maxDuration: TimeSpan.FromSeconds(60));
        var streams = OpenStreams.Start(client, new WorkRequest { DelayMicros = 10_000, ReplySize = 64 }, serverStreams: 2, bidiStreams: 2);
        await load.WaitForSucceededAsync(200, StepTimeout);
        await streams.WaitUntilOpenAsync(StepTimeout);
        // Calls that outlast the drain delay: still in flight when the server stops listening, they must finish.
        var longCalls = Enumerable.Range(0, 4)
            .Select(_ => client.UnaryAsync(new WorkRequest { DelayMicros = (long)(DrainDelay + TimeSpan.FromSeconds(3)).TotalMicroseconds }).ResponseAsync)
            .ToArray();

        await server.SignalAsync("TERM");

        // Health turns at once, pushed to Watch and answered by Check, while the instance still serves.
        Assert.Equal(ServingStatus.NotServing, await NextStatusAsync(watch));
        load.StopStarting();
        Assert.Equal(ServingStatus.NotServing, await HealthProbe.CheckAsync(server.Channel));

        await load.Completion.WaitAsync(StepTimeout);
        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} of {load.Succeeded + load.Failures.Count} unary calls failed: {string.Join(", ", load.Failures.Take(5))}");

        var longReplies = await Task.WhenAll(longCalls).WaitAsync(StepTimeout);
        Assert.All(longReplies, reply => Assert.Equal($"server-{server.Port}", reply.InstanceId));

        var outcomes = await streams.Completion.WaitAsync(StepTimeout);
        Assert.All(outcomes, outcome =>
        {
            Assert.Equal(StatusCode.OK, outcome.Status);
            Assert.True(outcome.Replies > 0, $"{outcome} got no reply");
        });

        Assert.Equal(0, await server.WaitForExitAsync(DrainTimeout + ExitGrace));
        Assert.Contains("server: stopped", server.StandardOutput);
    }

    private static async Task<ServingStatus> NextStatusAsync(AsyncServerStreamingCall<HealthCheckResponse> watch)
    {
        Assert.True(await watch.ResponseStream.MoveNext().WaitAsync(StepTimeout), "the health Watch stream ended");
        return watch.ResponseStream.Current.Status;
    }
}

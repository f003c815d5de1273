using System.Diagnostics;
using Grpc.Core;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Server.Tests.Functional;

/// <summary>
/// The work a request asks for is done: a delay makes the call last at least that long, a CPU spin burns at least
/// that much of the process's CPU. Lower bounds only: these check that the work happens, not how fast anything is.
/// </summary>
[Collection(RunAlone.Name)]
public class SimulatedWorkCallTests
{
    /// <summary>Generous: the process CPU time is read at a coarser grain than the thread clock the spin is measured on.</summary>
    private const double CpuShareExpected = 0.8;

    [Fact]
    public async Task A_unary_call_with_a_delay_takes_at_least_that_long()
    {
        await using var server = await TestServer.StartAsync();
        var started = Stopwatch.GetTimestamp();

        await server.Client.UnaryAsync(new WorkRequest { DelayMicros = 200_000 }, cancellationToken: server.Timeout);

        Assert.InRange(Stopwatch.GetElapsedTime(started), TimeSpan.FromMilliseconds(200), TimeSpan.MaxValue);
    }

    [Fact]
    public async Task A_server_stream_waits_the_delay_before_each_reply()
    {
        await using var server = await TestServer.StartAsync();
        var started = Stopwatch.GetTimestamp();

        using var call = server.Client.ServerStream(new WorkRequest { ReplyCount = 3, DelayMicros = 50_000 }, cancellationToken: server.Timeout);
        await call.ResponseStream.ReadAllAsync(server.Timeout).ToListAsync(server.Timeout);

        Assert.InRange(Stopwatch.GetElapsedTime(started), TimeSpan.FromMilliseconds(150), TimeSpan.MaxValue);
    }

    [Fact]
    public async Task A_unary_cpu_spin_burns_at_least_that_much_process_cpu()
    {
        const long SpinMicros = 300_000;
        await using var server = await TestServer.StartAsync();

        var cpuMicros = await ProcessCpuMicrosDuringAsync(server, () =>
            server.Client.UnaryAsync(new WorkRequest { CpuMicros = SpinMicros }, cancellationToken: server.Timeout).ResponseAsync);

        Assert.InRange(cpuMicros, CpuShareExpected * SpinMicros, double.MaxValue);
    }

    [Fact]
    public async Task A_server_stream_spins_before_each_reply()
    {
        const int Replies = 3;
        const long SpinMicros = 100_000;
        await using var server = await TestServer.StartAsync();

        var cpuMicros = await ProcessCpuMicrosDuringAsync(server, async () =>
        {
            using var call = server.Client.ServerStream(
                new WorkRequest { ReplyCount = Replies, CpuMicros = SpinMicros }, cancellationToken: server.Timeout);
            await call.ResponseStream.ReadAllAsync(server.Timeout).ToListAsync(server.Timeout);
        });

        Assert.InRange(cpuMicros, CpuShareExpected * Replies * SpinMicros, double.MaxValue);
    }

    /// <summary>
    /// The growth of the server process's CPU time across <paramref name="call"/>. The test's own client shares the
    /// process, which can only add to it: a lower bound stays sound.
    /// </summary>
    private static async Task<long> ProcessCpuMicrosDuringAsync(TestServer server, Func<Task> call)
    {
        var before = (await server.GetStatsAsync()).ProcessCpuMicros;
        await call();
        return (await server.GetStatsAsync()).ProcessCpuMicros - before;
    }
}

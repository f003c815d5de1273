using System.Diagnostics;
using Grpc.Core;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Bench.ChannelLoop;

/// <summary>
/// C workers, each sending one unary call after the other; the calls that end within the measured window are
/// counted. Bounded: the loop stops after warm-up plus duration, and every call has a deadline.
/// </summary>
internal sealed class ClosedLoop(IReadOnlyList<LoadLab.LoadLabClient> clients, LoopOptions options)
{
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(10);
    private static readonly WorkRequest Request = new() { ReplySize = 16 };

    private long _calls;
    private long _errors;
    private string? _firstError;
    private volatile bool _stopping;

    public async Task<LoopResult> RunAsync()
    {
        // Worker i uses client i mod N: the calls are spread over the channels in application code.
        var workers = Enumerable.Range(0, options.Concurrency)
            .Select(i => Task.Run(() => WorkAsync(clients[i % clients.Count])))
            .ToArray();

        await Task.Delay(options.Warmup);
        var process = Process.GetCurrentProcess();
        var (callsBefore, errorsBefore) = (Interlocked.Read(ref _calls), Interlocked.Read(ref _errors));
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();

        await Task.Delay(options.Duration);
        var (callsAfter, errorsAfter) = (Interlocked.Read(ref _calls), Interlocked.Read(ref _errors));
        var elapsed = clock.Elapsed;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;

        _stopping = true;
        await Task.WhenAll(workers);
        return new LoopResult(callsAfter - callsBefore, errorsAfter - errorsBefore, elapsed, cpu, _firstError);
    }

    private async Task WorkAsync(LoadLab.LoadLabClient client)
    {
        while (!_stopping)
        {
            try
            {
                await client.UnaryAsync(Request, deadline: DateTime.UtcNow + CallDeadline);
                Interlocked.Increment(ref _calls);
            }
            catch (RpcException e)
            {
                Interlocked.CompareExchange(ref _firstError, e.Status.ToString(), null);
                Interlocked.Increment(ref _errors);
            }
        }
    }
}

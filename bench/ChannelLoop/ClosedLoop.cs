using System.Diagnostics;
using Grpc.Core;
using GrpcLoadLab.Common;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Bench.ChannelLoop;

/// <summary>
/// C workers, each making one call after the other: a unary call, or a whole server or bidi stream; the calls and
/// the messages received within the measured window are counted. Bounded: the loop stops after warm-up plus
/// duration, and every call has a deadline.
/// </summary>
internal sealed class ClosedLoop(IReadOnlyList<LoadLab.LoadLabClient> clients, LoopOptions options)
{
    private static readonly TimeSpan UnaryDeadline = TimeSpan.FromSeconds(10);

    // What loadgen sends for the same work: reply_size 16, and for streams the reply count and the server's delay.
    private readonly WorkRequest _request = new()
    {
        ReplySize = 16,
        ReplyCount = options.Kind == "server-stream" ? options.Messages : 0,
        DelayMicros = (long)options.Interval.TotalMicroseconds,
    };

    // A stream's deadline covers its messages' delays, with the unary call's margin on top.
    private readonly TimeSpan _deadline = UnaryDeadline + (options.Interval * options.Messages);

    private long _calls;
    private long _messages;
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
        var (callsBefore, messagesBefore, errorsBefore) = (Interlocked.Read(ref _calls), Interlocked.Read(ref _messages), Interlocked.Read(ref _errors));
        var cpuBefore = process.TotalProcessorTime;
        var gcPauseBefore = GC.GetTotalPauseDuration();
        var clock = Stopwatch.StartNew();

        await Task.Delay(options.Duration);
        var (callsAfter, messagesAfter, errorsAfter) = (Interlocked.Read(ref _calls), Interlocked.Read(ref _messages), Interlocked.Read(ref _errors));
        var elapsed = clock.Elapsed;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var gcPause = GC.GetTotalPauseDuration() - gcPauseBefore;

        _stopping = true;
        await Task.WhenAll(workers);
        return new LoopResult(callsAfter - callsBefore, messagesAfter - messagesBefore, errorsAfter - errorsBefore, elapsed, cpu, gcPause, _firstError);
    }

    private async Task WorkAsync(LoadLab.LoadLabClient client)
    {
        while (!_stopping)
        {
            try
            {
                var deadline = DateTime.UtcNow + _deadline;
                switch (options.Kind)
                {
                    case "server-stream":
                        await ServerStreamAsync(client, deadline);
                        break;
                    case "bidi":
                        await BidiAsync(client, deadline);
                        break;
                    default:
                        await client.UnaryAsync(_request, deadline: deadline);
                        Interlocked.Increment(ref _messages);
                        break;
                }

                Interlocked.Increment(ref _calls);
            }
            catch (RpcException e)
            {
                Interlocked.CompareExchange(ref _firstError, e.Status.ToString(), null);
                Interlocked.Increment(ref _errors);
            }
        }
    }

    private async Task ServerStreamAsync(LoadLab.LoadLabClient client, DateTime deadline)
    {
        using var call = client.ServerStream(_request, deadline: deadline);
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            Interlocked.Increment(ref _messages);
        }
    }

    /// <summary>Ping-pong, as loadgen's bidi driver: a message, its echo, the next message.</summary>
    private async Task BidiAsync(LoadLab.LoadLabClient client, DateTime deadline)
    {
        using var call = client.Bidi(deadline: deadline);
        var message = new WorkRequest(_request);
        for (var sequence = 0; sequence < options.Messages; sequence++)
        {
            message.Sequence = sequence;
            if (!await call.RequestStream.TryWriteAsync(message, CancellationToken.None))
            {
                break; // The server has ended the call: its status is read below.
            }

            if (!await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                return;
            }

            Interlocked.Increment(ref _messages);
        }

        await call.RequestStream.CompleteAsync();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            Interlocked.Increment(ref _messages);
        }
    }
}

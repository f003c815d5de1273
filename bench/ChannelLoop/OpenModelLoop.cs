using System.Diagnostics;
using Grpc.Core;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Load;
using GrpcLoadLab.LoadGen.Metrics;

namespace GrpcLoadLab.Bench.ChannelLoop;

/// <summary>
/// Unary calls due at a constant rate, each started on a dedicated thread at its due time, paced exactly as loadgen's
/// open-model dispatcher paces its calls (its <see cref="SchedulePacer"/>: clock_nanosleep, the spin learnt from the
/// machine's wake-ups, real-time priority while mostly asleep) and recording nothing but how late each was handed to
/// the channel. Beside loadgen at the same rate, the difference is what loadgen does per call beyond pacing and the
/// call itself. As loadgen paces a warm-up phase and the measured one each with a pacer of its own, so does this loop;
/// the measured pacer tells its dispatcher's figures, as loadgen's result.json does. Bounded: warm-up plus duration at
/// the rate, and every call has a deadline.
/// </summary>
internal sealed class OpenModelLoop(IReadOnlyList<LoadLab.LoadLabClient> clients, LoopOptions options, int rate)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    // What loadgen sends for the same work: reply_size 16.
    private readonly WorkRequest _request = new() { ReplySize = 16 };

    private readonly TaskCompletionSource _allEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _calls;
    private long _errors;
    private long _ended;
    private long _total;
    private string? _firstError;

    public async Task<LoopResult> RunAsync()
    {
        var warmupCalls = (long)(rate * options.Warmup.TotalSeconds);
        var measuredCalls = (long)(rate * options.Duration.TotalSeconds);
        _total = warmupCalls + measuredCalls;
        var lags = new long[measuredCalls];
        var gap = (double)Stopwatch.Frequency / rate;
        var process = Process.GetCurrentProcess();
        var tally = new DispatcherTally();
        TimeSpan cpuBefore = default, gcPauseBefore = default;
        long measuredFrom = 0, measuredTo = 0;

        var dispatcher = new Thread(() =>
        {
            var begin = Stopwatch.GetTimestamp();
            var wakeUps = new WakeUpSpin();
            var pacer = new SchedulePacer(wakeUps, begin);
            for (var i = 0L; i < _total; i++)
            {
                var due = begin + (long)(i * gap);
                if (i == warmupCalls)
                {
                    cpuBefore = process.TotalProcessorTime;
                    gcPauseBefore = GC.GetTotalPauseDuration();
                    measuredFrom = due;
                    pacer = new SchedulePacer(wakeUps, due - (long)gap, tally);
                }

                pacer.WaitUntil(due, CancellationToken.None);
                if (i >= warmupCalls)
                {
                    lags[i - warmupCalls] = (long)Stopwatch.GetElapsedTime(due).TotalMicroseconds;
                }

                _ = CallAsync(clients[(int)(i % clients.Count)], measured: i >= warmupCalls);
            }

            measuredTo = begin + (long)(_total * gap);
            pacer.WaitUntil(measuredTo, CancellationToken.None);
        })
        {
            IsBackground = true,
            Name = "channel-loop open-model dispatcher",
        };
        dispatcher.Start();
        await Task.Run(dispatcher.Join);
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var gcPause = GC.GetTotalPauseDuration() - gcPauseBefore;
        await _allEnded.Task;

        Array.Sort(lags);
        return new LoopResult(
            Interlocked.Read(ref _calls), Interlocked.Read(ref _calls), Interlocked.Read(ref _errors),
            Stopwatch.GetElapsedTime(measuredFrom, measuredTo), cpu, gcPause, _firstError, lags, tally);
    }

    private async Task CallAsync(LoadLab.LoadLabClient client, bool measured)
    {
        try
        {
            await client.UnaryAsync(_request, deadline: DateTime.UtcNow + Deadline);
            if (measured)
            {
                Interlocked.Increment(ref _calls);
            }
        }
        catch (RpcException e)
        {
            Interlocked.CompareExchange(ref _firstError, e.Status.ToString(), null);
            if (measured)
            {
                Interlocked.Increment(ref _errors);
            }
        }
        finally
        {
            if (Interlocked.Increment(ref _ended) == _total)
            {
                _allEnded.SetResult();
            }
        }
    }
}

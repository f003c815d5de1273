using System.Diagnostics;
using System.Globalization;
using GrpcLoadLab.LoadGen.Load;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Runner;

/// <summary>
/// Holds an agent until its <c>--start-at</c> instant, once it is connected and ready, so that N agents on N machines
/// start their load together (to within their clocks' agreement). An agent ready only after the instant starts at
/// once and says how late it is; both are kept in its <see cref="AgentClock"/>.
/// </summary>
internal static class StartInstant
{
    /// <summary>The wall clock is read again at least this often while waiting: it may be stepped or slewed (NTP) meanwhile.</summary>
    private static readonly TimeSpan LongestNap = TimeSpan.FromSeconds(30);

    /// <summary>The last stretch is slept precisely, on the monotonic clock: Task.Delay wakes up to milliseconds late.</summary>
    private static readonly TimeSpan PreciseStretch = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits until <see cref="AgentPlan.StartAt"/> (at once without one); returns when the load may start, and whether it is late.</summary>
    /// <exception cref="RunInterruptedException">Interrupted while waiting: nothing was measured.</exception>
    public static async Task<bool> WaitAsync(AgentPlan plan, CancellationToken interrupt)
    {
        if (plan.StartAt is not { } startAt)
        {
            return false;
        }

        var left = startAt - DateTimeOffset.UtcNow;
        if (left <= TimeSpan.Zero)
        {
            await plan.Log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"loadgen: agent {plan.Share.Text} was ready {Seconds(-left)} after --start-at {Format(startAt)}: it starts at once, late"));
            return true;
        }

        await plan.Log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"loadgen: agent {plan.Share.Text} is ready; its load starts at {Format(startAt)}, in {Seconds(left)}"));
        try
        {
            while ((left = startAt - DateTimeOffset.UtcNow) > PreciseStretch)
            {
                var nap = left - PreciseStretch;
                await Task.Delay(nap < LongestNap ? nap : LongestNap, interrupt);
            }
        }
        catch (OperationCanceledException)
        {
            throw Interrupted(startAt);
        }

        return OpenLoop.SleepUntil(Stopwatch.GetTimestamp() + Ticks.FromSeconds(Math.Max(0, left.TotalSeconds)), interrupt)
            ? false
            : throw Interrupted(startAt);
    }

    /// <summary>The agent's clock once its load started at <paramref name="startedAt"/>.</summary>
    public static AgentClock Clock(AgentPlan plan, DateTimeOffset startedAt, bool late) => new(
        plan.StartAt?.ToUniversalTime(),
        startedAt.ToUniversalTime(),
        plan.StartAt is { } startAt ? Math.Round((startedAt - startAt).TotalMilliseconds, 3) : null,
        late);

    private static RunInterruptedException Interrupted(DateTimeOffset startAt) =>
        new($"interrupted while waiting for --start-at {Format(startAt)}: nothing was measured, no result written");

    public static string Format(DateTimeOffset instant) => instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFF'Z'", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.###} s");
}

using System.Globalization;
using GrpcLoadLab.Common;

namespace GrpcLoadLab.Server.Hosting;

/// <summary>The range of a duration option (<c>--drain-timeout</c>, <c>--max-work</c>, <c>probe --wait</c>).</summary>
public sealed record DurationRange(string Option, TimeSpan Min, TimeSpan Max)
{
    public bool Contains(TimeSpan value) => value >= Min && value <= Max;

    /// <summary>"--drain-timeout '1e30s' is not a duration from 1ms to 1h: write it like 500ms, 10s or 2m".</summary>
    public string Refusal(string value) => $"{Option} '{value}' is not a duration from {this}: {DurationParser.Hint}";

    public override string ToString() => $"{Format(Min)} to {Format(Max)}";

    /// <summary>The largest whole unit that states the value exactly: 1h, 10s, 250ms.</summary>
    public static string Format(TimeSpan value) => value switch
    {
        _ when value == TimeSpan.Zero => "0s",
        _ when value.Ticks % TimeSpan.TicksPerHour == 0 => Whole(value.TotalHours, "h"),
        _ when value.Ticks % TimeSpan.TicksPerMinute == 0 => Whole(value.TotalMinutes, "m"),
        _ when value.Ticks % TimeSpan.TicksPerSecond == 0 => Whole(value.TotalSeconds, "s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0.###}ms"),
    };

    private static string Whole(double value, string unit) => string.Create(CultureInfo.InvariantCulture, $"{value:0}{unit}");
}

using System.Globalization;
using Grpc.Core;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Server.Faults;

/// <summary>A behaviour fault as asked for by SetFault, checked against its ranges.</summary>
public sealed record FaultSettings(TimeSpan ExtraDelay, double FailureRatio, StatusCode FailureStatus, TimeSpan Duration)
{
    /// <summary>Bounds that keep every value within what timers accept, and far beyond any sensible experiment.</summary>
    public static readonly TimeSpan MaxExtraDelay = TimeSpan.FromHours(1);

    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);

    /// <summary>No delay and no failures: a request like this clears the fault in force.</summary>
    public bool ClearsFault => ExtraDelay == TimeSpan.Zero && FailureRatio == 0;

    /// <summary>Reads a SetFault request; a value out of range is refused with INVALID_ARGUMENT, naming the field.</summary>
    public static FaultSettings FromRequest(FaultRequest request)
    {
        if (request.ExtraDelayMicros < 0 || request.ExtraDelayMicros > MaxExtraDelay.TotalMicroseconds)
        {
            throw Invalid($"extra_delay_micros {request.ExtraDelayMicros} is out of range: give 0 to {MaxExtraDelay.TotalMicroseconds:F0} (1 h)");
        }

        // Written so that NaN is refused too.
        if (!(request.FailureRatio is >= 0 and <= 1))
        {
            throw Invalid($"failure_ratio {request.FailureRatio.ToString(CultureInfo.InvariantCulture)} is out of range: give 0 to 1 (0.3 fails 3 calls of every 10)");
        }

        if (request.FailureStatus is < 0 or > (int)StatusCode.Unauthenticated || (request.FailureRatio > 0 && request.FailureStatus == 0))
        {
            throw Invalid($"failure_status {request.FailureStatus} is not a gRPC error status: give 1-16 (e.g. 14 UNAVAILABLE, 3 INVALID_ARGUMENT)");
        }

        if (request.DurationMicros < 0 || request.DurationMicros > MaxDuration.TotalMicroseconds)
        {
            throw Invalid($"duration_micros {request.DurationMicros} is out of range: give 0 (until cleared) to {MaxDuration.TotalMicroseconds:F0} (24 h)");
        }

        return new FaultSettings(
            TimeSpan.FromMicroseconds(request.ExtraDelayMicros),
            request.FailureRatio,
            (StatusCode)request.FailureStatus,
            TimeSpan.FromMicroseconds(request.DurationMicros));
    }

    /// <summary>How the log line and failed calls name the fault, e.g. "extra delay 200 ms, 30% of calls fail with Unavailable (14), for 5 s".</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (ExtraDelay > TimeSpan.Zero)
        {
            parts.Add(FormattableString.Invariant($"extra delay {ExtraDelay.TotalMilliseconds:0.###} ms"));
        }

        if (FailureRatio > 0)
        {
            parts.Add(FormattableString.Invariant($"{FailureRatio * 100:0.####}% of calls fail with {FailureStatus} ({(int)FailureStatus})"));
        }

        parts.Add(Duration > TimeSpan.Zero ? FormattableString.Invariant($"for {Duration.TotalSeconds:0.###} s") : "until cleared");
        return string.Join(", ", parts);
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}

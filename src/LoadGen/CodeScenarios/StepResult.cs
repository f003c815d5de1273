using Grpc.Core;

namespace GrpcLoadLab.LoadGen.CodeScenarios;

/// <summary>
/// How a step went: its status (OK, or the error status it failed with) and the bytes it sent and received, which the
/// result counts as the calls' sizes; optionally the server instance that answered, for the per-instance shares.
/// </summary>
public readonly record struct StepResult
{
    private StepResult(StatusCode status, long bytesSent, long bytesReceived, string? instance, string? message)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytesSent);
        ArgumentOutOfRangeException.ThrowIfNegative(bytesReceived);
        Status = status;
        BytesSent = bytesSent;
        BytesReceived = bytesReceived;
        Instance = instance;
        Message = message;
    }

    public StatusCode Status { get; }

    public long BytesSent { get; }

    public long BytesReceived { get; }

    /// <summary>The instance that served the step (the lab's replies name theirs); null when unknown.</summary>
    public string? Instance { get; }

    /// <summary>Why a failed step failed; null for one that succeeded.</summary>
    public string? Message { get; }

    public static StepResult Ok(long bytesSent = 0, long bytesReceived = 0, string? instance = null) =>
        new(StatusCode.OK, bytesSent, bytesReceived, instance, null);

    /// <summary>A failed step, with the error status the report counts it under (e.g. UNAVAILABLE, or INTERNAL for a wrong reply).</summary>
    public static StepResult Fail(StatusCode status, string? message = null, long bytesSent = 0, long bytesReceived = 0) =>
        status == StatusCode.OK
            ? throw new ArgumentOutOfRangeException(nameof(status), status, "a failed step needs an error status, not OK: return StepResult.Ok(...) for a step that succeeded")
            : new(status, bytesSent, bytesReceived, null, message);
}

using System.Threading.RateLimiting;
using Grpc.Core;
using GrpcLoadLab.Server.Metrics;

namespace GrpcLoadLab.Server.Services;

/// <summary>
/// One admitted call: holds its capacity slot and counts it in flight until disposed, then records how it ended.
/// A call that did not reach <see cref="Succeed"/> ended cancelled if its token fired (deadline, client cancel),
/// failed otherwise (with the status <see cref="Failing"/> saw, else UNKNOWN, as grpc-dotnet answers an unhandled
/// exception); either way the in-flight count comes back down.
/// </summary>
public sealed class CallScope : IDisposable
{
    private readonly InstanceCounters _counters;
    private readonly CallKind _kind;
    private readonly RateLimitLease? _lease;
    private readonly CancellationToken _callToken;
    private readonly long _startTimestamp;
    private StatusCode _failure = StatusCode.Unknown;
    private bool _succeeded;

    internal CallScope(InstanceCounters counters, CallKind kind, RateLimitLease? lease, long startTimestamp, CancellationToken callToken)
    {
        _counters = counters;
        _kind = kind;
        _lease = lease;
        _callToken = callToken;
        _startTimestamp = startTimestamp;
    }

    public void MessageReceived() => _counters[_kind].MessageReceived();

    public void MessageSent() => _counters[_kind].MessageSent();

    public void Succeed() => _succeeded = true;

    /// <summary>An exception filter that notes the status a refused call ends with; it never catches.</summary>
    public bool Failing(RpcException refusal)
    {
        _failure = refusal.StatusCode;
        return false;
    }

    public void Dispose()
    {
        _lease?.Dispose();
        var (outcome, status) = _succeeded ? (CallOutcome.Completed, StatusCode.OK)
            : _callToken.IsCancellationRequested ? (CallOutcome.Cancelled, StatusCode.Cancelled)
            : (CallOutcome.Failed, _failure);
        _counters.CallEnded(_kind, outcome, status, _startTimestamp);
    }
}
